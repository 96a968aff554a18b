import { existsSync, mkdirSync, readFileSync, rmSync, truncateSync, writeFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { makeTrace } from '../../test/helpers/make-trace.ts';
import { runCli } from '../../test/helpers/run-cli.ts';
import { tempDir } from '../../test/helpers/temp-dir.ts';
import { validatePath } from '../validate/validate-data.ts';
import { mergeShardRuns } from '../shard-merge/merge-shard-runs.ts';
import { writeVerifiedChunks } from './compact-traces.ts';
import { compactRun } from './compact-run.ts';
import { finishRun } from './finish-run.ts';
import { readRunManifest } from './run-reader.ts';
import { readAllTraces } from '../../test/helpers/run-traces.ts';
import { createRun } from './run-writer.ts';
import { TraceWriter } from './trace-writer.ts';
import { readPlainTraces } from './trace-storage.ts';

const root = tempDir('labbook-chunks-');
const config = join(root, 'baseline.yaml');
writeFileSync(config, 'model: demo-model\n');
const local = { kind: 'local' as const, host: 'h', user: 'u' };
const code = { commit: 'abc', branch: 'main', dirty: false };
let counter = 0;

/** A live run with `traces` traces (about 700 bytes of JSON each). */
async function liveRun(traces: number, source: typeof local | Record<string, unknown> = local) {
  const dataDir = join(root, `d${++counter}`);
  const { dir } = await createRun({ dataDir, experiment: 'demo', configPath: config, source: source as typeof local, code, rootDir: root });
  const writer = new TraceWriter(dir);
  for (let i = 1; i <= traces; i++) writer.append(makeTrace(i));
  writer.close();
  return { dataDir, dir };
}

/** A sealed run in several small chunks. */
async function chunkedRun(traces = 12) {
  const run = await liveRun(traces);
  const plain = readFileSync(join(run.dir, 'traces.jsonl'), 'utf8');
  await finishRun(run.dir, { chunking: { chunkBytes: 2000 } });
  return { ...run, plain };
}

async function errorsOf(path: string) {
  return (await validatePath(path)).problems
    .filter((p) => p.severity === 'error')
    .map((p) => `${p.file}${p.line ? `:${p.line}` : ''}: ${p.message}`);
}

describe('sealing compresses traces into chunks', () => {
  it('splits at line ends after the chunk size, keeps every byte, and validates', async () => {
    const { dir, dataDir, plain } = await chunkedRun(12);
    const manifest = await readRunManifest(dir);
    const chunks = manifest.traceChunks!.chunks;
    expect(chunks.length).toBeGreaterThan(2);
    expect(chunks.reduce((n, c) => n + c.traces, 0)).toBe(12);
    expect(chunks.every((c, i) => i === chunks.length - 1 || c.bytes >= 2000)).toBe(true);
    expect(manifest.traceChunks!.plainBytes).toBe(Buffer.byteLength(plain));
    expect(existsSync(join(dir, 'traces.jsonl'))).toBe(false);
    expect(await readPlainTraces(dir)).toBe(plain);
    expect((await readAllTraces(dir)).map((t) => t.id)).toEqual(Array.from({ length: 12 }, (_, i) => `t${i + 1}`));
    expect(await errorsOf(dataDir)).toEqual([]);
    const sums = readFileSync(join(dir, 'SHA256SUMS'), 'utf8');
    for (const c of chunks) expect(sums).toContain(`  ${c.file}\n`);
  });

  it('takes the chunk size from labbook.config.yaml', async () => {
    const { dir } = await liveRun(6);
    writeFileSync(join(root, `d${counter}`, 'labbook.config.yaml'), 'storage:\n  chunkMegabytes: 0.001\n');
    await finishRun(dir);
    expect((await readRunManifest(dir)).traceChunks!.chunks.length).toBeGreaterThan(1);
  });

  it('takes the gzip level from labbook.config.yaml, and names a wrong one', async () => {
    const fast = await liveRun(6);
    const config = join(root, `d${counter}`, 'labbook.config.yaml');
    writeFileSync(config, 'storage:\n  gzipLevel: 1\n');
    await finishRun(fast.dir);
    const chunk = readFileSync(join(fast.dir, 'traces', '00000.jsonl.gz'));
    expect(chunk[8]).toBe(4); // gzip header XFL: 4 = the fastest compression was used
    const wrong = await liveRun(2);
    writeFileSync(join(root, `d${counter}`, 'labbook.config.yaml'), 'storage:\n  gzipLevel: 12\n');
    await expect(finishRun(wrong.dir)).rejects.toThrow(/labbook\.config\.yaml.*storage\.gzipLevel.*from 1 \(fastest\) to 9/s);
  });

  it('merges shards from chunks', async () => {
    const a = await chunkedRun(5);
    const manifest = await readRunManifest(a.dir);
    const merged = await mergeShardRuns({
      shards: [{ dir: a.dir, manifest: { ...manifest, shard: { index: 1, count: 1 } } }],
      missing: [],
      dataDir: a.dataDir,
      source: local,
    });
    expect(merged.finished.manifest.counts.traces).toBe(5);
    expect(await readPlainTraces(merged.dir)).toBe(a.plain);
  });
});

describe('bad chunks are named, and nothing is lost', () => {
  it('a truncated chunk: the file and the line after which its data stops', async () => {
    const { dir } = await chunkedRun();
    const file = join(dir, 'traces/00001.jsonl.gz');
    truncateSync(file, statSync(file).size - 30);
    const errors = await errorsOf(dir);
    expect(errors).toContainEqual(
      expect.stringMatching(new RegExp(`^${file}:\\d+: truncated gzip data: the chunk's traces stop after line \\d+`)),
    );
    expect(errors).toContainEqual(expect.stringMatching(/traces\/00001\.jsonl\.gz: does not match its SHA256SUMS entry/));
    // Readers other than validate stop rather than answer from part of the run.
    const exported = await runCli(
      ['export', 'otlp', '--run', (await readRunManifest(dir)).id, '-o', join(root, 'x.json'), '--data', join(dir, '../../..')],
      { cwd: root },
    );
    expect(exported.code).toBe(1);
    expect(exported.stderr).toContain(`${file}:`);
    expect(exported.stderr).toContain('truncated gzip data');
  });

  it('a corrupt chunk (bytes overwritten)', async () => {
    const { dir } = await chunkedRun();
    const file = join(dir, 'traces/00000.jsonl.gz');
    const bytes = readFileSync(file);
    bytes.fill(0x41, 20, 60);
    writeFileSync(file, bytes);
    expect(await errorsOf(dir)).toContainEqual(expect.stringMatching(new RegExp(`^${file}:1: corrupt gzip data`)));
  });

  it('any flipped byte or cut of a chunk is an error naming it, never a crash or a silent partial read', async () => {
    const { dir } = await chunkedRun();
    const file = join(dir, 'traces/00001.jsonl.gz');
    const original = readFileSync(file);
    const whole = JSON.stringify(await readAllTraces(dir));
    let seed = 16;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    for (let round = 0; round < 40; round++) {
      const bytes = Buffer.from(original);
      if (round % 4 === 3) writeFileSync(file, bytes.subarray(0, Math.floor(next() * bytes.length)));
      else {
        const at = Math.floor(next() * bytes.length);
        bytes[at] = bytes[at]! ^ (1 + Math.floor(next() * 255));
        writeFileSync(file, bytes);
      }
      const problems = (await validatePath(dir)).problems.filter((p) => p.severity === 'error' && p.file === file);
      expect(problems.length, `round ${round}`).toBeGreaterThan(0);
      // Reading either stops naming the chunk, or (a flip in a gzip header field no checksum
      // covers, like its timestamp) gives back every trace exactly: never a part of them.
      const read = await readAllTraces(dir).then(
        (traces) => JSON.stringify(traces),
        (error: Error) => error.message,
      );
      if (read !== whole) expect(read, `round ${round}`).toContain(file);
    }
    writeFileSync(file, original);
    expect(await errorsOf(dir)).toEqual([]);
  });

  it('a chunk listed in run.json but absent', async () => {
    const { dir } = await chunkedRun();
    const file = join(dir, 'traces/00001.jsonl.gz');
    rmSync(file);
    const errors = await errorsOf(dir);
    expect(errors).toContainEqual(
      expect.stringMatching(new RegExp(`^${file}: listed in run.json traceChunks \\(\\d+ trace lines\\) but missing`)),
    );
    expect(errors).toContainEqual(`${file}: listed in SHA256SUMS but missing`);
  });

  it('a chunk on disk that neither run.json nor SHA256SUMS lists', async () => {
    const { dir, plain } = await chunkedRun();
    const file = join(dir, 'traces/00099.jsonl.gz');
    writeFileSync(file, gzipSync(`${JSON.stringify(makeTrace(99))}\n`));
    const errors = await errorsOf(dir);
    expect(errors).toContain(`${file}: a trace chunk that run.json traceChunks does not list; it is not read`);
    expect(errors).toContain(`${file}: not listed in SHA256SUMS (added after the run was sealed)`);
    expect(await readPlainTraces(dir)).not.toBe(plain + 'x'); // the listed chunks still read
  });

  it('a chunk whose line count disagrees with run.json', async () => {
    const { dir } = await chunkedRun();
    const manifestFile = join(dir, 'run.json');
    const manifest = JSON.parse(readFileSync(manifestFile, 'utf8'));
    manifest.traceChunks.chunks[0].traces += 1;
    writeFileSync(manifestFile, JSON.stringify(manifest));
    const file = join(dir, 'traces/00000.jsonl.gz');
    expect(await errorsOf(dir)).toContainEqual(
      expect.stringMatching(new RegExp(`^${file}: holds [\\d,]+ trace lines? but run.json traceChunks says \\d+`)),
    );
  });

  it('both traces.jsonl and chunks: an error naming both, and labbook compact finishes it', async () => {
    const { dir, dataDir, plain } = await chunkedRun();
    writeFileSync(join(dir, 'traces.jsonl'), plain);
    expect(await errorsOf(dir)).toContainEqual(
      expect.stringMatching(/traces\.jsonl: both traces\.jsonl and \d+ chunks? in traces\/ exist: a compaction was interrupted/),
    );
    // The run claims chunks already: run.json lists them, so compact is not what restores it —
    // removing the stray copy is safe only because it is byte for byte the chunks.
    expect(await readPlainTraces(dir).catch((e: Error) => e.message)).toMatch(/both traces\.jsonl and/);
    rmSync(join(dir, 'traces.jsonl'));
    expect(await errorsOf(dataDir)).toEqual([]);
  });
});

describe('a seal interrupted after its chunks were moved in place', () => {
  it('is sealed again from the whole plain file, the stale chunks replaced, nothing lost', async () => {
    const { dir } = await liveRun(9);
    const plain = readFileSync(join(dir, 'traces.jsonl'), 'utf8');
    await writeVerifiedChunks(dir, { chunkBytes: 1500 }); // the seal got this far, then the process died
    expect(await errorsOf(dir)).toContainEqual(expect.stringMatching(/both traces\.jsonl and \d+ chunks?/));
    const result = await finishRun(dir, { chunking: { chunkBytes: 4000 } });
    expect(result.errors).toEqual([]);
    expect(result.manifest.status).toBe('completed');
    expect(await readPlainTraces(dir)).toBe(plain);
    expect(await errorsOf(dir)).toEqual([]);
  });
});

describe('labbook compact', () => {
  async function oldPlainRun(traces = 8, source: Record<string, unknown> = local) {
    const run = await liveRun(traces, source);
    await finishRun(run.dir, { chunking: false });
    return { ...run, plain: readFileSync(join(run.dir, 'traces.jsonl'), 'utf8'), id: (await readRunManifest(run.dir)).id };
  }

  it('converts an old plain run, which validated before and validates after', async () => {
    const { dir, dataDir, plain, id } = await oldPlainRun();
    expect(await errorsOf(dataDir)).toEqual([]);
    const result = await runCli(['compact', '--data', dataDir], { cwd: root });
    expect(result.stderr).toBe('');
    expect(result.stdout).toMatch(new RegExp(`compacted ${id}: [\\d.]+ KiB → [\\d.]+ (?:bytes|KiB) in 1 chunk`));
    expect(existsSync(join(dir, 'traces.jsonl'))).toBe(false);
    expect(await readPlainTraces(dir)).toBe(plain);
    expect(await errorsOf(dataDir)).toEqual([]);
    expect((await runCli(['compact', '--data', dataDir], { cwd: root })).stdout).toMatch(/^0 runs compacted/m);
  });

  it('skips CI runs unless --include-ci, and refuses an edited run', async () => {
    const ci = {
      kind: 'ci',
      provider: 'github',
      serverUrl: 'https://github.com',
      repository: 'o/r',
      workflow: 'w',
      workflowRunId: '1',
      workflowRunAttempt: '1',
      job: 'j',
      ref: 'refs/heads/main',
      sha: 'abc',
      actor: 'a',
      event: 'push',
      runUrl: 'https://github.com/o/r/actions/runs/1',
    };
    const { dir, dataDir, id } = await oldPlainRun(3, ci);
    expect((await runCli(['compact', dir], { cwd: root })).stdout).toMatch(new RegExp(`skipped ${id}: a CI run`));
    expect(existsSync(join(dir, 'traces.jsonl'))).toBe(true);
    writeFileSync(join(dir, 'traces.jsonl'), readFileSync(join(dir, 'traces.jsonl'), 'utf8').replace('answer 2', 'answer 7'));
    const refused = await runCli(['compact', '--include-ci', '--data', dataDir], { cwd: root });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/does not match its SHA256SUMS \(traces\.jsonl: changed\).*never re-seals an edited run/);
    expect(existsSync(join(dir, 'traces.jsonl'))).toBe(true);
    // The edit is found in the pass that compresses the file: the chunks it made are gone again.
    expect(existsSync(join(dir, 'traces'))).toBe(false);
    expect(readFileSync(join(dir, 'traces.jsonl'), 'utf8')).toContain('answer 7');
  });

  it('recovers from a crash at each step of a compaction, losing nothing', async () => {
    // 1. Killed while writing chunks: traces.tmp/ is half-written, traces.jsonl whole.
    const first = await oldPlainRun();
    mkdirSync(join(first.dir, 'traces.tmp'));
    writeFileSync(join(first.dir, 'traces.tmp/00000.jsonl.gz'), gzipSync('{"id":').subarray(0, 10));
    expect(await errorsOf(first.dir)).toEqual([]); // a reader never looks at traces.tmp
    expect((await validatePath(first.dir)).problems).toContainEqual(
      expect.objectContaining({
        severity: 'warning',
        file: join(first.dir, 'traces.tmp'),
        message: expect.stringMatching(/^half-written chunks an interrupted seal or compaction left/),
      }),
    );
    expect((await compactRun(first.dir, { chunkBytes: 1500 })).kind).toBe('compacted');
    expect(existsSync(join(first.dir, 'traces.tmp'))).toBe(false);
    expect((await validatePath(first.dir)).problems).toEqual([]);
    expect(await readPlainTraces(first.dir)).toBe(first.plain);
    expect(await errorsOf(first.dir)).toEqual([]);

    // 2. Killed after the verified chunks were moved in place, before traces.jsonl went.
    const second = await oldPlainRun();
    await writeVerifiedChunks(second.dir, { chunkBytes: 1500 });
    expect(await errorsOf(second.dir)).toContainEqual(expect.stringMatching(/both traces\.jsonl and \d+ chunks?/));
    await expect(readAllTraces(second.dir)).rejects.toThrow(/both traces\.jsonl and/); // readers refuse to guess
    expect(await compactRun(second.dir, { chunkBytes: 1500 })).toMatchObject({ kind: 'compacted', recovered: true });
    expect(await readPlainTraces(second.dir)).toBe(second.plain);
    expect(await errorsOf(second.dir)).toEqual([]);

    // 3. Killed after traces.jsonl went, before run.json and SHA256SUMS were rewritten.
    const third = await oldPlainRun();
    await writeVerifiedChunks(third.dir, { chunkBytes: 1500 });
    rmSync(join(third.dir, 'traces.jsonl'));
    expect(await readPlainTraces(third.dir)).toBe(third.plain); // read from the chunks meanwhile
    expect(await compactRun(third.dir, { chunkBytes: 1500 })).toMatchObject({ kind: 'compacted', recovered: true });
    expect(await errorsOf(third.dir)).toEqual([]);

    // Chunks that do not hold the plain file's bytes are never trusted over it.
    const fourth = await oldPlainRun();
    await writeVerifiedChunks(fourth.dir, { chunkBytes: 1500 });
    writeFileSync(join(fourth.dir, 'traces/00000.jsonl.gz'), gzipSync('{"id":"other"}\n'));
    await expect(compactRun(fourth.dir, { chunkBytes: 1500 })).rejects.toThrow(
      /do not hold the same bytes as .*traces\.jsonl; nothing was removed/,
    );
    expect(readFileSync(join(fourth.dir, 'traces.jsonl'), 'utf8')).toBe(fourth.plain);
  });
});
