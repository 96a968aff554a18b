import { appendFileSync, existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { describe, expect, it, vi } from 'vitest';
import { traceSchema } from '../../schemas/trace.ts';
import { makeTrace } from '../../test/helpers/make-trace.ts';
import { liveRuns } from '../../test/helpers/live-run.ts';
import { tempDir } from '../../test/helpers/temp-dir.ts';
import { writeChunks } from './chunk-writer.ts';
import { sha256Hex } from './digest.ts';
import { finishRun } from './finish-run.ts';
import { LiveChunks } from './live-chunks.ts';
import { TraceWriter } from './trace-writer.ts';
import { validateRun } from '../validate/validate-run.ts';

const liveRun = liveRuns('labbook-live-chunks-');

/** Lines of varied lengths (one far longer than a chunk), as a writer appends them. */
const lines = Array.from(
  { length: 300 },
  (_, i) => `{"id":"t${i}","text":"${'word '.repeat((i * 7) % 23)}${i === 150 ? 'x'.repeat(5000) : ''}"}\n`,
);

/** The chunk files of a folder, by name, as bytes. */
const filesOf = (folder: string) => Object.fromEntries(readdirSync(folder).map((name) => [name, readFileSync(join(folder, name))]));

describe('LiveChunks', () => {
  it.each([
    [1000, 1],
    [1000, 37],
    [64, 5],
    [1, 300],
    [10_000_000, 10],
  ])('cuts and compresses as writeChunks does the same file (chunks of %i bytes, lines given %i at a time)', async (chunkBytes, perAdd) => {
    const dir = tempDir('labbook-live-chunks-');
    const plain = join(dir, 'traces.jsonl');
    writeFileSync(plain, '');
    const live = new LiveChunks(dir, { chunkBytes, level: 4 });
    for (let i = 0; i < lines.length; i += perAdd) {
      const data = Buffer.from(lines.slice(i, i + perAdd).join(''));
      appendFileSync(plain, data);
      live.add(data);
      if (i % 3 === 0) await nextTurn(); // the writer's turns, as a receiver's
    }
    const text = lines.join('');
    const made = await live.finish(sha256Hex(text));
    expect(made).toBeDefined();
    expect(existsSync(join(dir, 'traces.tmp'))).toBe(false);

    // The oracle: writeChunks on the finished file, into a folder of its own.
    const oracle = tempDir('labbook-live-oracle-');
    const { chunks } = await writeChunks(plain, Buffer.byteLength(text), oracle, { chunkBytes, level: 4 });
    expect(filesOf(join(dir, 'traces'))).toEqual(filesOf(oracle)); // byte for byte: same cuts, same gzip
    expect(made!.chunks).toEqual(chunks.map((c) => ({ file: c.path, traces: c.lines, bytes: c.bytes })));
    expect(made!.chunkSha256).toEqual(Object.fromEntries(chunks.map((c) => [c.path, c.sha256])));
    expect(made!.plainDigest).toBe(`sha256:${sha256Hex(text)}`);
    expect(made!.plainBytes).toBe(Buffer.byteLength(text));
  });

  it('installs nothing when the file holds other bytes than those given, and removes what it made', async () => {
    const dir = tempDir('labbook-live-chunks-');
    const data = Buffer.from(lines.slice(0, 20).join(''));
    writeFileSync(join(dir, 'traces.jsonl'), data);
    const live = new LiveChunks(dir, { chunkBytes: 100 });
    live.add(data);
    // A byte changed on disk, the size the same: the digest the writer summed no longer matches.
    writeFileSync(join(dir, 'traces.jsonl'), Buffer.from(data.toString().replace('"t3"', '"t9"')));
    expect(await live.finish(sha256Hex(data))).toBeUndefined();
    expect(readdirSync(dir)).toEqual(['traces.jsonl']);
  });

  it('stops taking lines when the compressor falls too far behind, so the seal compresses the file instead', async () => {
    const dir = tempDir('labbook-live-chunks-');
    writeFileSync(join(dir, 'traces.jsonl'), '');
    const live = new LiveChunks(dir, { chunkBytes: 1000 }, { maxWaitingBytes: 2000 });
    const data = Buffer.from(lines.join(''));
    live.add(data.subarray(0, 3000)); // all given at once, none compressed yet: 3,000 bytes wait
    live.add(data.subarray(3000));
    expect(live.plainBytes).toBe(3000); // short of what was written: finishRun abandons it
    await live.abandon();
    expect(existsSync(join(dir, 'traces.tmp'))).toBe(false);
  });

  it('a chunk that cannot be written fails the finish (the seal keeps traces.jsonl), never the writer', async () => {
    const dir = tempDir('labbook-live-chunks-');
    const text = lines.join('');
    writeFileSync(join(dir, 'traces.jsonl'), text);
    const live = new LiveChunks(dir, { chunkBytes: 1000 });
    rmSync(join(dir, 'traces.tmp'), { recursive: true }); // its folder gone: every chunk's file fails to open
    for (const line of lines) live.add(Buffer.from(line)); // the writer goes on
    await nextTurn();
    await expect(live.finish(sha256Hex(text))).rejects.toThrow(/ENOENT/);
    expect(readFileSync(join(dir, 'traces.jsonl'), 'utf8')).toBe(text);
  });

  it('makes no chunk of nothing', async () => {
    const dir = tempDir('labbook-live-chunks-');
    writeFileSync(join(dir, 'traces.jsonl'), '');
    const live = new LiveChunks(dir, { chunkBytes: 100 });
    const made = await live.finish(sha256Hex(''));
    expect(made?.chunks).toEqual([]);
  });

  it('refuses lines given after it has finished', async () => {
    const dir = tempDir('labbook-live-chunks-');
    writeFileSync(join(dir, 'traces.jsonl'), '');
    const live = new LiveChunks(dir, { chunkBytes: 100 });
    await live.abandon();
    expect(() => live.add(Buffer.from('{}\n'))).toThrow(/after finish or abandon/);
    expect(existsSync(join(dir, 'traces.tmp'))).toBe(false);
  });
});

describe('sealing a run whose writer compressed as it wrote', () => {
  const settings = { chunkBytes: 4000 };
  const traces = Array.from({ length: 60 }, (_, i) => traceSchema.parse(makeTrace(i + 1)));

  async function writtenRun() {
    const { dir, file } = await liveRun();
    const writer = new TraceWriter(dir, { sum: true, coalesce: true, compress: settings });
    for (const [i, trace] of traces.entries()) {
      writer.appendLine(JSON.stringify(trace), trace);
      if (i % 10 === 9) await nextTurn();
    }
    writer.close();
    return { dir, file, writer };
  }

  it('installs the chunks made while writing, which validate as any seal', async () => {
    const { dir, writer } = await writtenRun();
    const live = writer.liveChunks!;
    const finish = vi.spyOn(live, 'finish');
    const abandon = vi.spyOn(live, 'abandon');
    const result = await finishRun(dir, { written: writer.written, liveChunks: live, chunking: settings });
    expect(finish).toHaveBeenCalledOnce();
    expect(abandon).not.toHaveBeenCalled();
    expect(result.manifest.status).toBe('completed');
    expect(result.manifest.counts.traces).toBe(60);
    expect(result.manifest.traceChunks!.chunks.length).toBeGreaterThan(3);
    expect(readdirSync(dir).sort()).not.toContain('traces.jsonl');
    expect(readdirSync(dir).sort()).not.toContain('traces.tmp');
    const report = await validateRun(dir);
    expect(report.problems.filter((p) => p.severity === 'error')).toEqual([]);
  });

  it('compresses the file instead when another process appended to it, keeping its line', async () => {
    const { dir, file, writer } = await writtenRun();
    const other = traceSchema.parse(makeTrace(99));
    appendFileSync(file, `${JSON.stringify(other)}\n`); // the SDK, under the same labbook run
    const live = writer.liveChunks!;
    const abandon = vi.spyOn(live, 'abandon');
    const result = await finishRun(dir, { written: writer.written, liveChunks: live, chunking: settings });
    expect(abandon).toHaveBeenCalledOnce();
    expect(result.manifest.counts.traces).toBe(61);
    const report = await validateRun(dir);
    expect(report.problems.filter((p) => p.severity === 'error')).toEqual([]);
  });

  it('compresses the file instead when the seal cuts chunks otherwise than the writer did', async () => {
    const { dir, writer } = await writtenRun();
    const abandon = vi.spyOn(writer.liveChunks!, 'abandon');
    const result = await finishRun(dir, { written: writer.written, liveChunks: writer.liveChunks, chunking: { chunkBytes: 1_000_000 } });
    expect(abandon).toHaveBeenCalledOnce();
    expect(result.manifest.traceChunks!.chunks).toHaveLength(1);
  });

  it('a running run whose writer is compressing validates without a warning about traces.tmp', async () => {
    const { dir } = await liveRun();
    const writer = new TraceWriter(dir, { sum: true, coalesce: true, compress: settings });
    writer.appendLine(JSON.stringify(traces[0]), traces[0]);
    writer.flush();
    expect(existsSync(join(dir, 'traces.tmp'))).toBe(true);
    const report = await validateRun(dir);
    expect(report.problems).toEqual([]);
    writer.close();
    await writer.liveChunks!.abandon();
  });
});
