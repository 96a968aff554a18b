import { describe, expect, it } from 'vitest';
import { runMetricsSchema } from '../../schemas/metrics.ts';
import { type Trace, type TraceInput, traceSchema } from '../../schemas/trace.ts';
import { closeTo, loadScipyReference } from '../stats/__fixtures__/load-reference.ts';
import { createAggregator } from './aggregator.ts';

function trace(partial: Partial<TraceInput> & { id: string }): Trace {
  return traceSchema.parse({ exampleId: partial.id, input: {}, start: 0, end: 10, durationMs: 10, ...partial });
}

function aggregate(traces: Trace[]) {
  const agg = createAggregator();
  for (const t of traces) agg.add(t);
  const result = agg.result();
  expect(runMetricsSchema.parse(result)).toEqual(result);
  return result;
}

describe('createAggregator', () => {
  it('gives nulls, not zeros, for an empty run', () => {
    const m = aggregate([]);
    expect(m.traces).toEqual({ count: 0, errors: 0, errorRate: null, spans: 0 });
    expect(m.latencyMs.mean).toBeNull();
    expect(m.latencyMs.count).toBe(0);
    expect(m.tokens.perTrace.count).toBe(0);
    expect(m.scores).toEqual({});
  });

  it('summarizes a numeric score like numpy/scipy (mean, std, t interval, percentiles)', () => {
    const sample = loadScipyReference().descriptive.find((d) => d.values.length === 37)!;
    const m = aggregate(sample.values.map((v, i) => trace({ id: `t${i}`, scores: [{ name: 'quality', value: v }] })));
    const s = m.scores.quality!;
    expect(s.kind).toBe('number');
    if (s.kind === 'label') throw new Error('unreachable');
    expect(s.ciMethod).toBe('t');
    expect(s.count).toBe(37);
    expect(closeTo(s.mean!, sample.mean, 1e-13)).toBe(true);
    expect(closeTo(s.std!, sample.std!, 1e-12)).toBe(true);
    expect(closeTo(s.ci![0], sample.tInterval95![0], 1e-10)).toBe(true);
    expect(closeTo(s.ci![1], sample.tInterval95![1], 1e-10)).toBe(true);
    expect(closeTo(s.p50!, sample.percentiles['50']!, 1e-12)).toBe(true);
    expect(closeTo(s.p95!, sample.percentiles['95']!, 1e-12)).toBe(true);
    expect(s.min).toBe(sample.percentiles['0']);
    expect(s.max).toBe(sample.percentiles['100']);
  });

  it('treats booleans as a pass rate with a Wilson interval', () => {
    const values = [true, true, true, false];
    const m = aggregate(values.map((v, i) => trace({ id: `t${i}`, scores: [{ name: 'correct', value: v }] })));
    const s = m.scores.correct!;
    if (s.kind !== 'boolean') throw new Error(`expected boolean, got ${s.kind}`);
    expect(s.mean).toBe(0.75);
    expect(s.ciMethod).toBe('wilson');
    // scipy.stats.binomtest(3, 4).proportion_ci(method='wilson')
    expect(s.ci![0]).toBeCloseTo(0.30064, 4);
    expect(s.ci![1]).toBeCloseTo(0.9544, 4);
  });

  it('counts labels, sorted, and keeps errors, nulls and non-finite numbers out of means', () => {
    // The schema rejects NaN/Infinity in files; an in-process caller can still hand them over.
    const nan = trace({
      id: 'c',
      scores: [
        { name: 'tone', value: 'polite' },
        { name: 'x', value: 0 },
      ],
    });
    nan.scores[1]!.value = Number.NaN;
    const inf = trace({ id: 'd', scores: [{ name: 'x', value: 0 }] });
    inf.scores[0]!.value = Number.POSITIVE_INFINITY;
    const m = aggregate([
      trace({
        id: 'a',
        scores: [
          { name: 'tone', value: 'polite' },
          { name: 'x', value: 1 },
        ],
      }),
      trace({
        id: 'b',
        scores: [
          { name: 'tone', value: 'curt' },
          { name: 'x', value: null, error: 'judge timed out' },
        ],
      }),
      nan,
      inf,
      trace({ id: 'e', scores: [{ name: 'x', value: 3, error: 'partial' }] }),
      trace({ id: 'f', scores: [{ name: 'x', value: 3 }] }),
    ]);
    expect(m.scores.tone).toEqual({ kind: 'label', count: 3, errors: 0, counts: { curt: 1, polite: 2 } });
    const tone = m.scores.tone!;
    expect(Object.keys(tone.kind === 'label' ? tone.counts : {})).toEqual(['curt', 'polite']);
    const x = m.scores.x!;
    if (x.kind === 'label') throw new Error('unreachable');
    expect(x.count).toBe(2);
    expect(x.errors).toBe(4);
    expect(x.mean).toBe(2);
  });

  it('uses the first value when a trace repeats a score name; mixes numbers and booleans as 1/0', () => {
    const m = aggregate([
      trace({
        id: 'a',
        scores: [
          { name: 's', value: 1 },
          { name: 's', value: 100 },
        ],
      }),
      trace({ id: 'b', scores: [{ name: 's', value: false }] }),
    ]);
    const s = m.scores.s!;
    if (s.kind === 'label') throw new Error('unreachable');
    expect(s.kind).toBe('number');
    expect(s.count).toBe(2);
    expect(s.mean).toBe(0.5);
  });

  it('lets the majority kind win and counts the minority as errors', () => {
    const m = aggregate([
      trace({ id: 'a', scores: [{ name: 's', value: 'good' }] }),
      trace({ id: 'b', scores: [{ name: 's', value: 'bad' }] }),
      trace({ id: 'c', scores: [{ name: 's', value: 0.4 }] }),
    ]);
    expect(m.scores.s).toEqual({ kind: 'label', count: 2, errors: 1, counts: { bad: 1, good: 1 } });
  });

  it('sums tokens, cost and span groups, by type, model and tool', () => {
    const m = aggregate([
      trace({
        id: 'a',
        durationMs: 100,
        status: 'error',
        spans: [
          { id: 'root', name: 'agent', type: 'AGENT', start: 0, end: 100 },
          {
            id: 'llm1',
            parentId: 'root',
            name: 'chat',
            type: 'LLM',
            model: 'gpt-x',
            start: 0,
            end: 40,
            usage: { input: 10, output: 5 },
            cost: { total: 0.01 },
          },
          { id: 'tool1', parentId: 'root', name: 'search', type: 'TOOL', start: 40, end: 60, status: 'error' },
          { id: 'tool2', parentId: 'root', name: 'call', type: 'TOOL', start: 60, end: 70, attributes: { 'tool.name': 'calculator' } },
        ],
      }),
      trace({
        id: 'b',
        durationMs: 300,
        spans: [
          {
            id: 'llm',
            name: 'chat',
            type: 'LLM',
            model: 'gpt-x',
            start: 0,
            end: 20,
            usage: { input: 7, output: 3, total: 12, cached: 4, simulated: true },
            cost: { total: 0.02 },
          },
        ],
      }),
      trace({ id: 'c', durationMs: 200 }),
    ]);
    expect(m.traces).toEqual({ count: 3, errors: 1, errorRate: 1 / 3, spans: 5 });
    expect(m.latencyMs).toMatchObject({ count: 3, mean: 200, min: 100, p50: 200, max: 300 });
    expect(m.latencyMs.p90).toBeCloseTo(280, 10);
    expect(m.tokens).toMatchObject({ input: 17, output: 8, total: 27, cached: 4, simulated: true });
    // Trace c has no usage: it is not a zero in the per-trace distribution.
    expect(m.tokens.perTrace).toMatchObject({ count: 2, mean: 13.5, min: 12, max: 15 });
    expect(m.cost.total).toBeCloseTo(0.03, 12);
    expect(m.cost.perTrace.count).toBe(2);
    expect(Object.keys(m.byType)).toEqual(['AGENT', 'LLM', 'TOOL']);
    expect(m.byType.LLM).toEqual({
      calls: 2,
      errors: 0,
      inputTokens: 17,
      outputTokens: 8,
      totalTokens: 27,
      cachedTokens: 4,
      cost: 0.03,
      durationMs: 60,
    });
    expect(m.byType.TOOL).toMatchObject({ calls: 2, errors: 1, durationMs: 30, totalTokens: 0 });
    expect(Object.keys(m.byModel)).toEqual(['gpt-x']);
    expect(m.byModel['gpt-x']!.calls).toBe(2);
    expect(Object.keys(m.byTool)).toEqual(['calculator', 'search']);
    expect(m.byTool.search).toMatchObject({ calls: 1, errors: 1, durationMs: 20 });
  });

  it('is deterministic: the same traces in another order give the same JSON', () => {
    const traces = Array.from({ length: 50 }, (_, i) =>
      trace({
        id: `t${i}`,
        durationMs: (i * 37) % 101,
        scores: [
          { name: i % 2 ? 'b' : 'a', value: (i * 13) % 7 },
          { name: 'lbl', value: `v${i % 3}` },
        ],
        spans: [{ id: 's', name: `tool${i % 4}`, type: 'TOOL', start: 0, end: i, usage: { input: i, output: 1 } }],
      }),
    );
    const forward = JSON.stringify(aggregate(traces));
    const backward = JSON.stringify(aggregate([...traces].reverse()));
    // Sums of integers are exact, so even floating-point order cannot differ here.
    expect(backward).toBe(forward);
    expect(Object.keys(JSON.parse(forward).scores)).toEqual(['a', 'b', 'lbl']);
  });

  it('can report more than once as traces keep arriving', () => {
    const agg = createAggregator();
    agg.add(trace({ id: 'a', durationMs: 5 }));
    expect(agg.result().traces.count).toBe(1);
    agg.add(trace({ id: 'b', durationMs: 15 }));
    expect(agg.result().latencyMs.mean).toBe(10);
  });
});

describe('createAggregator with trials', () => {
  it('gives pass@k and pass^k at the fewest trials per example, averaged over examples', () => {
    // e1: 3 trials, 1 pass; e2: 3 trials, 3 passes; e3: 2 trials, 0 passes → k = 2.
    // By hand: pass@2 = (1 − C(2,2)/C(3,2) + 1 + 0) / 3 = (2/3 + 1) / 3 = 5/9;
    // pass^2 = (0 + 1 + 0) / 3 = 1/3.
    const plan: Array<[string, boolean[]]> = [
      ['e1', [true, false, false]],
      ['e2', [true, true, true]],
      ['e3', [false, false]],
    ];
    const traces = plan.flatMap(([example, results]) =>
      results.map((pass, i) =>
        trace({ id: `${example}-${i + 1}`, exampleId: example, trial: i + 1, scores: [{ name: 'correct', value: pass, source: 'code' }] }),
      ),
    );
    const s = aggregate(traces).scores.correct!;
    expect(s.kind).toBe('boolean');
    if (s.kind === 'label') throw new Error('unreachable');
    expect(s.trials).toMatchObject({ examples: 3, k: 2 });
    expect(s.trials!.passAtK).toBeCloseTo(5 / 9, 14);
    expect(s.trials!.passHatK).toBeCloseTo(1 / 3, 14);
  });

  it('has no trials field for a run without trials', () => {
    const s = aggregate([trace({ id: 'a', scores: [{ name: 'correct', value: true, source: 'code' }] })]).scores.correct!;
    expect('trials' in s).toBe(false);
  });
});
