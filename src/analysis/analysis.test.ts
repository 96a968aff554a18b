import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Span } from '../../schemas/span.ts';
import type { Trace } from '../../schemas/trace.ts';
import { tempDir } from '../../test/helpers/temp-dir.ts';
import { writeRun, type FixtureRun } from '../../test/helpers/analysis-store.ts';
import { FileFormatError, NotFoundError, UsageError } from '../errors/index.ts';
import { breakdown, breakdownValue } from './breakdowns.ts';
import { flattenTrace, spanDepths, type FlatSpan } from '../store/flat-span.ts';
import { groupBy } from './group-by.ts';
import { openStore } from '../store/open-store.ts';
import { slowestSpans } from './slowest-spans.ts';
import { toolSuccessRates } from './tool-success.ts';
import { TopK } from './top-k.ts';

const root = tempDir('labbook-analysis-');
const dataDir = join(root, 'experiments');
let runA: FixtureRun;
let runB: FixtureRun;

beforeAll(async () => {
  runA = await writeRun(root, dataDir, { variant: 0, traces: 20 });
  runB = await writeRun(root, dataDir, { variant: 1, traces: 20 });
});

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

describe('openStore', () => {
  it('finds experiments and runs from the data folder or the folder above it', async () => {
    for (const path of [dataDir, root]) {
      const store = openStore(path);
      expect(store.dataDir).toBe(dataDir);
      const experiments = await store.experiments();
      expect(experiments.map((e) => e.name)).toEqual(['demo']);
      expect(experiments[0]!.definition.primaryMetric).toBe('correct');
      expect((await experiments[0]!.runs()).map((r) => r.id)).toEqual([runA.id, runB.id]);
    }
  });

  it('opens a run by a unique prefix and reads its manifest, metrics and config', async () => {
    const run = await openStore(dataDir).run(runB.id.slice(0, runB.id.length - 2));
    expect(run.id).toBe(runB.id);
    expect(run.manifest.counts.traces).toBe(20);
    expect((await run.metrics()).traces.count).toBe(20);
    expect(await run.config()).toEqual({ model: 'large-model', params: { top_k: 4 } });
  });

  it('names what is missing', async () => {
    const store = openStore(dataDir);
    await expect(store.run('no-such-run-id')).rejects.toBeInstanceOf(NotFoundError);
    await expect(store.experiment('nope')).rejects.toThrow(/experiment not found: nope/);
  });

  it('refuses a data folder that is not there, instead of finding no experiments in it', async () => {
    const missing = openStore(join(root, 'experimnets'));
    await expect(missing.experiments()).rejects.toThrow(`file not found: ${join(root, 'experimnets')} (no data folder there`);
    await expect(missing.run(runA.id)).rejects.toBeInstanceOf(NotFoundError);
    await expect(openStore(join(dataDir, 'demo', 'experiment.yaml')).experiments()).rejects.toThrow('is a file, not a data folder');
    expect(() => openStore(undefined as never)).toThrow('openStore(path) expects the path of a data folder, got undefined');
    const empty = tempDir('labbook-analysis-empty-');
    expect(await openStore(empty).experiments()).toEqual([]);
  });

  it('streams traces in file order and can stop early', async () => {
    const run = await openStore(dataDir).run(runA.id);
    const ids: string[] = [];
    for await (const trace of run.traces()) {
      ids.push(trace.id);
      if (ids.length === 3) break;
    }
    expect(ids).toEqual(['t1', 't2', 't3']);
  });

  it('reports a bad line with its file and line, after the good ones, or skips it with onError', async () => {
    const { id, dir } = await writeRun(root, join(root, 'bad'), { traces: 2, unfinished: true });
    appendFileSync(join(dir, 'traces.jsonl'), '{"id": "truncated", "exampl\n');
    const run = await openStore(join(root, 'bad')).run(id);
    const seen: string[] = [];
    await expect(async () => {
      for await (const trace of run.traces()) seen.push(trace.id);
    }).rejects.toThrow(new RegExp(`traces\\.jsonl:3:\\d+: (malformed|truncated) JSON`));
    expect(seen).toEqual(['t1', 't2']);
    const errors: FileFormatError[] = [];
    expect((await collect(run.spans({ onError: (e) => errors.push(e) }))).length).toBeGreaterThan(0);
    expect(errors.map((e) => e.location.line)).toEqual([3]);
  });

  it('flattens spans with run, trace and depth', async () => {
    const run = await openStore(dataDir).run(runA.id);
    const spans = await collect(run.spans());
    expect(spans.length).toBe(run.manifest.counts.spans);
    const first = spans.filter((s) => s.trace.id === 't2').map((s) => [s.run, s.span.id, s.depth]);
    expect(first).toEqual([
      [runA.id, 'root', 0],
      [runA.id, 'ret', 1],
      [runA.id, 'llm', 1],
      [runA.id, 'calc', 2],
      [runA.id, 'lookup', 2],
    ]);
  });
});

describe('span depths', () => {
  const span = (id: string, parentId: string | null): Span => ({ id, parentId, name: id, type: 'UNKNOWN', start: 0, end: 1, status: 'ok' });

  it('puts orphans at depth 0 and children of later spans where they belong', () => {
    expect([...spanDepths([span('c', 'b'), span('b', 'a'), span('a', null), span('o', 'missing'), span('p', 'o')])]).toEqual([
      2, 1, 0, 0, 1,
    ]);
  });

  it('terminates on a parent cycle and on a 10^5-deep chain', () => {
    expect([...spanDepths([span('a', 'b'), span('b', 'a'), span('c', 'a')])]).toEqual([1, 0, 2]);
    const chain = Array.from({ length: 100_000 }, (_, i) => span(`s${i}`, i === 0 ? null : `s${i - 1}`));
    const depths = spanDepths(chain.reverse());
    expect(depths[0]).toBe(99_999);
    expect(depths[99_999]).toBe(0);
  });
});

describe('breakdowns', () => {
  it('by span type, model and tool add up to metrics.json', async () => {
    for (const fixture of [runA, runB]) {
      const run = await openStore(dataDir).run(fixture.id);
      const metrics = await run.metrics();
      for (const [by, expected] of [
        ['span-type', metrics.byType],
        ['model', metrics.byModel],
        ['tool', metrics.byTool],
      ] as const) {
        const rows = await breakdown(run.spans(), by);
        const got = Object.fromEntries(
          rows.map((r) => [
            r.key,
            {
              calls: r.calls,
              errors: r.errors,
              inputTokens: r.inputTokens,
              outputTokens: r.outputTokens,
              totalTokens: r.totalTokens,
              cachedTokens: r.cachedTokens,
              cost: r.cost,
              durationMs: r.latencyMs.sum,
            },
          ]),
        );
        expect(Object.keys(got)).toEqual(Object.keys(expected));
        for (const key of Object.keys(expected)) {
          const e = expected[key]!;
          expect(got[key]).toMatchObject({
            calls: e.calls,
            errors: e.errors,
            inputTokens: e.inputTokens,
            outputTokens: e.outputTokens,
            totalTokens: e.totalTokens,
            cachedTokens: e.cachedTokens,
          });
          expect(got[key]!.cost).toBeCloseTo(e.cost, 12);
          expect(got[key]!.durationMs).toBeCloseTo(e.durationMs, 9);
        }
      }
    }
  });

  it('by span name, with latency percentiles of each group', async () => {
    const run = await openStore(dataDir).run(runA.id);
    const rows = await breakdown(run.spans(), 'name');
    expect(rows.map((r) => r.key)).toEqual(['agent', 'answer', 'search', 'table_lookup', 'tool-call']);
    const lookup = rows.find((r) => r.key === 'table_lookup')!;
    expect(lookup.calls).toBe(10);
    expect(lookup.latencyMs).toMatchObject({ count: 10, sum: 40, mean: 4, min: 4, p50: 4, p95: 4, max: 4 });
    // search lasts 10 + (i % 5) ms for i = 1..20: each of 10..14 four times.
    const search = rows.find((r) => r.key === 'search')!;
    expect(search.latencyMs).toMatchObject({ count: 20, sum: 240, min: 10, p50: 12, max: 14 });
    expect(search.latencyMs.p95).toBeCloseTo(14, 9);
    expect(breakdownValue(search, 'latency')).toBe(240);
    expect(breakdownValue(search, 'calls')).toBe(20);
  });

  it('tool-call success rates with Wilson intervals', async () => {
    const run = await openStore(dataDir).run(runA.id);
    const rates = await toolSuccessRates(run.spans());
    expect(rates.map((r) => [r.tool, r.calls, r.errors])).toEqual([
      ['calculator', 20, 4],
      ['table_lookup', 10, 0],
    ]);
    expect(rates[0]!.successRate).toBe(0.8);
    expect(rates[0]!.ci![0]).toBeCloseTo(0.584, 3); // statsmodels proportion_confint(16, 20, method='wilson')
    expect(rates[0]!.ci![1]).toBeCloseTo(0.9193, 3);
    expect(rates[1]!.ci![1]).toBe(1);
  });

  it('the slowest spans agree with sorting every span', async () => {
    const run = await openStore(dataDir).run(runB.id);
    const all = await collect(run.spans());
    const sorted = all.map((f, seq) => ({ f, seq, ms: f.span.end - f.span.start })).sort((a, b) => b.ms - a.ms || a.seq - b.seq);
    const top = await slowestSpans(run.spans(), 7);
    expect(top.map((s) => [s.traceId, s.span.id, s.latencyMs])).toEqual(sorted.slice(0, 7).map((x) => [x.f.trace.id, x.f.span.id, x.ms]));
    expect(top[0]).toMatchObject({ run: runB.id, exampleId: 'ex20', depth: 0 });
  });

  it('groupBy aggregates any number by any key', async () => {
    const run = await openStore(dataDir).run(runA.id);
    const perModel = await groupBy(run.spans(), (s) => (s.span.type === 'LLM' ? s.span.model : undefined), 'output-tokens');
    // output tokens 20 + (i % 7) for i = 1..20
    const expected = Array.from({ length: 20 }, (_, k) => 20 + ((k + 1) % 7)).reduce((a, b) => a + b, 0);
    expect(perModel).toEqual([expect.objectContaining({ key: 'small-model', count: 20, sum: expected })]);
    const byDepth = await groupBy(run.spans(), (s) => `depth ${s.depth}`, 'calls');
    expect(byDepth.map((g) => [g.key, g.sum])).toEqual([
      ['depth 0', 20],
      ['depth 1', 40],
      ['depth 2', 30],
    ]);
    const nan = await groupBy(run.spans(), 'span-type', () => Number.NaN);
    expect(nan).toEqual([]);
  });

  it('accepts plain arrays of spans as well as streams', async () => {
    const trace = {
      id: 'x',
      exampleId: 'x',
      spans: [
        { id: 'a', parentId: null, name: 'a', type: 'LLM', start: 0, end: 5, status: 'ok', usage: { input: 1, output: 2, total: 10 } },
      ],
    } as unknown as Trace;
    const flat: FlatSpan[] = [...flattenTrace('r', trace)];
    expect((await breakdown(flat, 'span-type'))[0]).toMatchObject({ key: 'LLM', totalTokens: 10, inputTokens: 1 });
  });

  it('refuse a grouping or metric they do not know, naming the ones they do', async () => {
    const spans: FlatSpan[] = [];
    await expect(breakdown(spans, 'spantype' as never)).rejects.toThrow(
      'Breakdown: unknown grouping "spantype"; expected a function or one of span-type, model, tool, name',
    );
    await expect(breakdown(spans, 'constructor' as never)).rejects.toThrow(UsageError);
    await expect(groupBy(spans, 'model', 'tokenz' as never)).rejects.toThrow('GroupAccumulator: unknown metric "tokenz"');
    await expect(groupBy(spans, 'modle' as never, 'tokens')).rejects.toThrow('GroupAccumulator: unknown grouping "modle"');
  });
});

describe('TopK', () => {
  it('keeps the k largest, ties by arrival, like a full sort', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 20 }), { maxLength: 200 }), fc.integer({ min: 0, max: 15 }), (scores, k) => {
        const top = new TopK<number>(k);
        scores.forEach((s, i) => top.add(s, i));
        const expected = scores
          .map((s, i) => ({ score: s, item: i }))
          .sort((a, b) => b.score - a.score || a.item - b.item)
          .slice(0, k);
        expect(top.result()).toEqual(expected);
      }),
    );
  });
});
