import { existsSync, readFileSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { traceSchema } from '../../schemas/trace.ts';
import { makeTrace } from '../../test/helpers/make-trace.ts';
import { liveRuns } from '../../test/helpers/live-run.ts';
import { sha256Hex } from './digest.ts';
import { TraceWriter } from './trace-writer.ts';

const liveRun = liveRuns('labbook-coalesce-');

const line = (n: number) => {
  const trace = traceSchema.parse(makeTrace(n));
  return { json: JSON.stringify(trace), trace };
};

describe('a TraceWriter that coalesces', () => {
  it('writes the lines of a turn of the event loop together, in order, once the turn ends', async () => {
    const { dir } = await liveRun();
    const writer = new TraceWriter(dir, { sum: true, coalesce: true });
    const file = join(dir, 'traces.jsonl');
    const lines = [1, 2, 3].map(line);
    for (const { json, trace } of lines) writer.appendLine(json, trace);
    expect(readFileSync(file, 'utf8')).toBe('');
    expect([writer.count, writer.linesWritten]).toEqual([3, 0]);
    await nextTurn();
    expect(writer.linesWritten).toBe(3);
    const text = lines.map(({ json }) => `${json}\n`).join('');
    expect(readFileSync(file, 'utf8')).toBe(text);
    writer.appendLine(line(4).json, line(4).trace);
    writer.close(); // writes what is gathered
    const all = readFileSync(file);
    expect(all.toString()).toBe(`${text}${line(4).json}\n`);
    // What it summed is what the file holds: sealing may trust it.
    expect(writer.written!.bytes).toBe(all.length);
    expect(writer.written!.summaryFor(sha256Hex(all))?.counts.traces).toBe(4);
  });

  it('writes at once when a megabyte has gathered, whatever the turn', async () => {
    const { dir } = await liveRun();
    const writer = new TraceWriter(dir, { coalesce: true });
    const big = JSON.stringify({ ...traceSchema.parse(makeTrace(1)), input: 'x'.repeat(300_000) });
    for (let i = 0; i < 4; i++) writer.appendLine(big);
    expect(readFileSync(join(dir, 'traces.jsonl')).length).toBe(4 * (big.length + 1));
    writer.close();
  });

  it('says a failed write at the next append and at close, and closes all the same', async () => {
    const { dir } = await liveRun();
    symlinkSync('/dev/full', join(dir, 'traces.jsonl')); // every write: ENOSPC
    const writer = new TraceWriter(dir, { coalesce: true });
    writer.appendLine(line(1).json);
    await nextTurn(); // the gathered write fails here, where nothing would catch it
    expect([writer.count, writer.linesWritten]).toEqual([1, 0]); // appended, and lost with the write
    expect(() => writer.appendLine(line(2).json)).toThrow(/ENOSPC/);
    expect(() => writer.close()).toThrow(/ENOSPC/);
    expect(() => writer.close()).not.toThrow(); // closed: nothing left to say
    expect(() => writer.appendLine(line(3).json)).toThrow(/ENOSPC|closed/);
  });

  it('without coalesce, each line is on disk when appendLine returns (the SDK relies on it)', async () => {
    const { dir } = await liveRun();
    const writer = new TraceWriter(dir, { sum: true });
    writer.appendLine(line(1).json, line(1).trace);
    expect(readFileSync(join(dir, 'traces.jsonl'), 'utf8')).toBe(`${line(1).json}\n`);
    writer.close();
    expect(existsSync(join(dir, 'traces.jsonl'))).toBe(true);
  });
});
