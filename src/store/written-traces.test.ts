import { createHash } from 'node:crypto';
import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { traceSchema, type TraceInput } from '../../schemas/trace.ts';
import { makeTrace } from '../../test/helpers/make-trace.ts';
import { liveRuns } from '../../test/helpers/live-run.ts';
import { finishRun, type FinishRunResult } from './finish-run.ts';
import { TraceWriter } from './trace-writer.ts';
import { WrittenTraces } from './written-traces.ts';

const liveRun = liveRuns('labbook-written-');

/** Traces as a run's writer appends them: scores, an error trace, an orphan span. */
const traces: TraceInput[] = [
  ...Array.from({ length: 30 }, (_, i) => makeTrace(i + 1)),
  makeTrace(31, { status: 'error', error: 'tool timed out' }),
  makeTrace(32, {
    spans: [
      { id: 's1', parentId: null, name: 'agent', type: 'AGENT', start: 0, end: 5 },
      { id: 's2', parentId: 'gone', name: 'llm', type: 'LLM', start: 1, end: 2, usage: { input: 3, output: 4 } },
    ],
  }),
];

/** A live run holding `traces`, and its writer. */
async function written(items: TraceInput[] = traces) {
  const { dir } = await liveRun();
  const writer = new TraceWriter(dir, { sum: true });
  for (const trace of items) writer.append(trace);
  writer.close();
  return { dir, writer };
}

/** What a seal records, with the run folder taken out of its messages. */
function recorded(dir: string, result: FinishRunResult) {
  return {
    metrics: readFileSync(join(dir, 'metrics.json'), 'utf8'),
    counts: result.manifest.counts,
    status: result.manifest.status,
    statusReason: result.manifest.statusReason?.replaceAll(dir, '<run>'),
    chunks: result.manifest.traceChunks,
    warnings: result.warnings.map((w) => w.replaceAll(dir, '<run>')),
    errors: result.errors.map((e) => e.message.replaceAll(dir, '<run>')),
  };
}

describe('sealing from what the writer summed', () => {
  it('records exactly what parsing the file records', async () => {
    const parsed = await written();
    const summed = await written();
    const byParse = recorded(parsed.dir, await finishRun(parsed.dir));
    const bySum = recorded(summed.dir, await finishRun(summed.dir, { written: summed.writer.written }));
    expect(bySum).toEqual(byParse);
    expect(bySum.counts).toEqual({ traces: 32, errors: 1, spans: 64, scores: 64 });
    expect(bySum.warnings).toEqual([expect.stringContaining('trace "t32"')]);
  });

  it('is what the seal takes when the file holds the bytes it summed', async () => {
    // A summary told of other traces than the bytes it hashed, which no writer makes, so that the
    // test can see which of the two the seal used.
    const run = await written(traces.slice(0, 3));
    const summary = new WrittenTraces(join(run.dir, 'traces.jsonl'));
    const lines = readFileSync(join(run.dir, 'traces.jsonl'), 'utf8').split('\n').slice(0, 3);
    lines.forEach((line, i) => {
      const trace = traceSchema.parse(JSON.parse(line));
      if (i === 0) trace.scores.push({ name: 'only-in-the-summary', value: 1, source: 'code' });
      summary.add(Buffer.from(`${line}\n`), trace);
    });
    const result = await finishRun(run.dir, { written: summary });
    expect(Object.keys(result.metrics.scores)).toContain('only-in-the-summary');
  });

  it('parses the file when another writer appended to it', async () => {
    const run = await written();
    appendFileSync(join(run.dir, 'traces.jsonl'), `${JSON.stringify({ ...makeTrace(99), status: 'ok' })}\n`);
    const result = await finishRun(run.dir, { written: run.writer.written });
    expect(result.manifest.counts.traces).toBe(33);
  });

  it('parses the file when a byte changed since it was written, and reports what the file holds', async () => {
    const run = await written();
    const file = join(run.dir, 'traces.jsonl');
    // Same length, another score: t1's quality of 0.1 becomes 0.9.
    writeFileSync(file, readFileSync(file, 'utf8').replace('"quality","value":0.1', '"quality","value":0.9'));
    const parsed = await written();
    const edited = readFileSync(file);
    writeFileSync(join(parsed.dir, 'traces.jsonl'), edited);
    const byParse = recorded(parsed.dir, await finishRun(parsed.dir));
    expect(recorded(run.dir, await finishRun(run.dir, { written: run.writer.written }))).toEqual(byParse);
  });

  it('leaves to the parse what it cannot say as the parse would: a trace id written twice', async () => {
    const run = await written([makeTrace(1), makeTrace(2), makeTrace(1)]);
    const result = await finishRun(run.dir, { written: run.writer.written });
    expect(result.manifest.status).toBe('failed');
    expect(result.errors.map((e) => e.message)).toEqual([expect.stringMatching(/traces\/00000\.jsonl\.gz:3.*appears more than once/)]);
  });
});

describe('a trace whose tree the writer is told was checked (treeChecked)', () => {
  const cycle = traceSchema.parse(
    makeTrace(1, {
      spans: [
        { id: 'a', parentId: 'b', name: 'a', type: 'AGENT', start: 0, end: 5 },
        { id: 'b', parentId: 'a', name: 'b', type: 'LLM', start: 1, end: 2 },
      ],
    }),
  );

  it('is counted without its tree walked: the caller, assembleTrace, repaired it', () => {
    const line = Buffer.from('{}\n');
    const digest = createHash('sha256').update(line).digest('hex');
    const told = new WrittenTraces('traces.jsonl');
    told.add(line, cycle, true);
    expect(told.summaryFor(digest)?.counts.traces).toBe(1);
    const untold = new WrittenTraces('traces.jsonl');
    untold.add(line, cycle);
    expect(untold.summaryFor(digest)).toBeUndefined(); // the walk found the cycle: the seal parses the file instead
  });
});
