import { describe, expect, it } from 'vitest';
import { UsageError } from '../errors/index.ts';
import { closeTo } from '../stats/__fixtures__/load-reference.ts';
import { type ExampleRow, makeExperiment, makeRun, recordsOf } from './__fixtures__/make-runs.ts';
import { loadCompareReference } from './__fixtures__/load-reference.ts';
import { DEFAULT_RESAMPLES, DEFAULT_SEED, compareRuns } from './compare-runs.ts';
import type { MetricComparison } from './comparison.ts';

const ref = loadCompareReference().endToEnd;

function referenceRuns() {
  const rows = (side: 'a' | 'b'): ExampleRow[] =>
    ref.runs[side].correct.map((correct, i) => ({
      example: `ex-${String(i).padStart(3, '0')}`,
      scores: { correct, quality: ref.runs[side].quality[i]!, tone: ref.runs[side].tone[i]! },
      latency: ref.runs[side].latency[i]!,
    }));
  // Unmatched examples on both sides: reported, never paired.
  const a = [
    ...rows('a'),
    { example: 'only-a-1', scores: { correct: true, quality: 0.1, tone: 'curt' } },
    { example: 'only-a-2', scores: { correct: false } },
  ];
  const b = [{ example: 'only-b', scores: { correct: true, quality: 0.9, tone: 'polite' } }, ...rows('b').reverse()];
  return [
    makeRun('run-a', a, { config: { model: 'small', params: { temperature: 0.2 } } }),
    makeRun('run-b', b, { config: { model: 'large', params: { temperature: 0.2 } } }),
  ];
}

const experiment = makeExperiment({
  metrics: [
    { name: 'correct', direction: 'higher', kind: 'boolean' },
    { name: 'quality', direction: 'higher', kind: 'number', minEffect: 0.01 },
    { name: 'tone', direction: 'higher', kind: 'label' },
  ],
  primaryMetric: 'correct',
});

function metric(metrics: MetricComparison[], name: string): MetricComparison {
  const m = metrics.find((x) => x.name === name);
  if (!m) throw new Error(`no metric ${name} in ${metrics.map((x) => x.name).join(', ')}`);
  return m;
}

describe('compareRuns on the scipy reference case', () => {
  const comparison = compareRuns({ runs: referenceRuns(), experiment });

  it('aligns on example ids and reports the unmatched examples of each run', () => {
    expect(comparison.alignment).toMatchObject({ key: 'exampleId', examples: ref.matched + 3, matched: ref.matched });
    expect(comparison.alignment.runs.map((r) => r.onlyIn)).toEqual([['only-a-1', 'only-a-2'], ['only-b']]);
    expect(comparison.alignment.runs.map((r) => r.missing)).toEqual([1, 2]);
    expect(comparison.warnings.some((w) => w.includes('3 of 58 examples are not in every run'))).toBe(true);
  });

  it('reproduces McNemar (exact binomial) on the pass/fail score', () => {
    const m = metric(comparison.metrics, 'correct');
    const e = ref.expected.correct;
    expect(m).toMatchObject({ kind: 'boolean', n: ref.matched, primary: true, direction: 'higher' });
    expect(closeTo(m.runs[0]!.mean!, e.meanA, 1e-12)).toBe(true);
    expect(closeTo(m.runs[1]!.mean!, e.meanB, 1e-12)).toBe(true);
    expect(m.runs[0]!.ciMethod).toBe('wilson');
    const d = m.deltas[0]!;
    expect(closeTo(d.delta!, e.delta, 1e-12)).toBe(true);
    expect(d.test).toBe(`mcnemar-${e.method}`);
    expect(closeTo(d.pValue!, e.pValue, 1e-10)).toBe(true);
  });

  it('reproduces the Wilcoxon test on a continuous score and on latency', () => {
    for (const [name, e] of [
      ['quality', ref.expected.quality],
      ['latencyMs', ref.expected.latencyMs],
    ] as const) {
      const d = metric(comparison.metrics, name).deltas[0]!;
      expect(closeTo(d.delta!, e.delta, 1e-9), name).toBe(true);
      expect(d.test).toBe(`wilcoxon-${e.method}`);
      expect(d.statistic).toBe(e.statistic);
      expect(closeTo(d.pValue!, e.pValue, 1e-9), `${name}: ${d.pValue} vs ${e.pValue}`).toBe(true);
    }
    expect(metric(comparison.metrics, 'latencyMs').direction).toBe('lower');
  });

  it('reproduces chi-square on the label distributions', () => {
    const m = metric(comparison.metrics, 'tone');
    const e = ref.expected.tone;
    expect(m.direction).toBeNull();
    expect(m.runs.map((r) => r.counts)).toEqual(e.table.map((row) => Object.fromEntries(e.labels.map((l, j) => [l, row[j]]))));
    const d = m.deltas[0]!;
    expect(d.test).toBe('chi2');
    expect(closeTo(d.statistic!, e.statistic, 1e-10)).toBe(true);
    expect(closeTo(d.pValue!, e.pValue, 1e-10)).toBe(true);
    expect(d.delta).toBeNull();
  });

  it('applies Holm across all metrics and turns adjusted p-values into verdicts', () => {
    expect(comparison.settings.tests).toBe(4);
    ref.holmOrder.forEach((name, i) => {
      expect(closeTo(metric(comparison.metrics, name).deltas[0]!.pAdjusted!, ref.pAdjusted[i]!, 1e-9), name).toBe(true);
    });
    // Latency fell (p_adj ≈ 5e-8) and lower is better; the others stay above 0.05 after Holm.
    expect(metric(comparison.metrics, 'latencyMs').deltas[0]!.verdict).toBe('better');
    expect(metric(comparison.metrics, 'correct').deltas[0]!.verdict).toBe('no detectable difference');
    expect(metric(comparison.metrics, 'tone').deltas[0]!.verdict).toBe('no detectable difference');
  });

  it('gives a bootstrap interval around the delta and reports seed and resamples', () => {
    expect(comparison.settings.bootstrap).toEqual({
      method: 'paired percentile',
      prng: 'mulberry32',
      seed: DEFAULT_SEED,
      resamples: DEFAULT_RESAMPLES,
    });
    for (const name of ['correct', 'quality', 'latencyMs']) {
      const d = metric(comparison.metrics, name).deltas[0]!;
      expect(d.ci![0]).toBeLessThanOrEqual(d.delta!);
      expect(d.ci![1]).toBeGreaterThanOrEqual(d.delta!);
    }
  });

  it('warns when the sample cannot detect minEffect', () => {
    const q = metric(comparison.metrics, 'quality');
    expect(q.deltas[0]!.minDetectable!).toBeGreaterThan(0.01);
    expect(q.warnings.join(' ')).toMatch(
      /with 55 pairs only a difference of about .* minEffect is 0\.01, which needs about \d+ pairs at the spread of these paired differences \(`labbook plan` sizes from one run/,
    );
  });

  it('diffs the configs', () => {
    expect(comparison.configDiff).toEqual([
      { run: 'run-b', vs: 'run-a', changes: [{ path: ['model'], kind: 'changed', before: 'small', after: 'large' }] },
    ]);
  });

  it('is deterministic and JSON-safe', () => {
    const again = compareRuns({ runs: referenceRuns(), experiment });
    expect(JSON.stringify(again)).toBe(JSON.stringify(comparison));
    expect(JSON.parse(JSON.stringify(comparison))).toEqual(comparison);
    const reseeded = compareRuns({ runs: referenceRuns(), experiment, options: { seed: 1, resamples: 500 } });
    expect(reseeded.settings.bootstrap).toMatchObject({ seed: 1, resamples: 500 });
    expect(metric(reseeded.metrics, 'quality').deltas[0]!.pValue).toBe(metric(comparison.metrics, 'quality').deltas[0]!.pValue);
  });
});

describe('compareRuns on bad input', () => {
  const rows = (n: number, offset = 0): ExampleRow[] =>
    Array.from({ length: n }, (_, i) => ({ example: `e${i + offset}`, scores: { s: (i % 5) / 5 } }));

  it('refuses fewer than 2 or more than 4 runs, and a run given twice', () => {
    const run = (id: string) => makeRun(id, rows(3));
    expect(() => compareRuns({ runs: [run('a')], experiment: makeExperiment() })).toThrow(UsageError);
    expect(() => compareRuns({ runs: ['a', 'b', 'c', 'd', 'e'].map(run), experiment: makeExperiment() })).toThrow(/2 to 4 runs, got 5/);
    expect(() => compareRuns({ runs: [run('a'), run('a')], experiment: makeExperiment() })).toThrow(/more than once/);
    expect(() => compareRuns({ runs: [run('a'), run('b')], experiment: makeExperiment(), options: { resamples: 10 } })).toThrow(UsageError);
  });

  it('refuses a run with no traces, naming it, rather than show every figure as "—"', () => {
    const empty = makeRun('crashed', []);
    expect(() => compareRuns({ runs: [makeRun('a', rows(3)), makeRun('b', rows(3)), empty], experiment: makeExperiment() })).toThrow(
      /^run C \(crashed, \w+\) has no traces, so there is no example to compare on; compare runs that recorded traces$/,
    );
  });

  it('warns about runs of different experiments and still compares', () => {
    const c = compareRuns({ runs: [makeRun('a', rows(5)), makeRun('b', rows(5), { experiment: 'other' })], experiment: makeExperiment() });
    expect(c.warnings[0]).toMatch(/different experiments: b is in other/);
    expect(metric(c.metrics, 's').n).toBe(5);
  });

  it('reports runs with no common example, with nothing paired', () => {
    const c = compareRuns({ runs: [makeRun('a', rows(4)), makeRun('b', rows(4, 100))], experiment: makeExperiment() });
    expect(c.alignment.matched).toBe(0);
    expect(c.warnings.join('\n')).toMatch(/share no example/);
    for (const m of c.metrics) {
      expect(m.n).toBe(0);
      expect(m.deltas[0]!.verdict).toBe('not compared');
    }
  });

  it('falls back to matching on the input when no example id is shared', () => {
    const a = makeRun('a', rows(4));
    const b = makeRun('b', rows(4));
    b.traces.forEach((t) => (t.exampleId = `random-${t.id}`));
    const c = compareRuns({ runs: [a, recordsOf(b)], experiment: makeExperiment() });
    expect(c.alignment).toMatchObject({ key: 'inputHash', matched: 4 });
    expect(c.warnings.join('\n')).toMatch(/matched on their input/);
  });

  it('compares what it can when a metric is in one run only, and leaves out NaN/∞', () => {
    const a = makeRun(
      'a',
      rows(6).map((r) => ({ ...r, scores: { ...r.scores, extra: 1 } })),
    );
    const b = makeRun('b', rows(6));
    b.traces[0]!.scores[0]!.value = Number.NaN;
    b.traces[1]!.scores[0]!.value = Number.POSITIVE_INFINITY;
    const c = compareRuns({
      runs: [a, recordsOf(b)],
      experiment: makeExperiment({ metrics: [{ name: 'gone', direction: 'higher', kind: 'number' }] }),
    });
    const extra = metric(c.metrics, 'extra');
    expect(extra.deltas[0]!.verdict).toBe('not compared');
    expect(extra.warnings[0]).toBe('no values in run b: not compared there');
    // The run that has it still shows its mean; the run without it has none.
    expect(extra.runs.map((r) => r.mean)).toEqual([1, null]);
    expect(extra.n).toBe(6);
    const s = metric(c.metrics, 's');
    expect(s.n).toBe(4);
    expect(s.runs[1]!.missing).toBe(2);
    expect(s.warnings.join('\n')).toMatch(/2 NaN or infinite values in run b left out/);
    expect(s.warnings.join('\n')).toMatch(/compared on the 4 of 6 matched examples/);
    expect(c.warnings.join('\n')).toMatch(/tracks "gone" but no run has it/);
  });

  it('reports duplicate examples and compares the first trace of each', () => {
    const a = makeRun('a', [...rows(3), { example: 'e1', scores: { s: 100 } }]);
    const c = compareRuns({ runs: [a, makeRun('b', rows(3))], experiment: makeExperiment() });
    expect(c.alignment.runs[0]!.duplicates).toEqual([{ example: 'e1', traces: ['a-t1', 'a-t3'] }]);
    expect(metric(c.metrics, 's').runs[0]!.mean).toBeCloseTo(0.2, 12);
    expect(c.warnings.join('\n')).toMatch(/run a has 1 example with more than one trace/);
  });

  it('compares 4 runs against the first, each delta with its own test', () => {
    const runs = ['a', 'b', 'c', 'd'].map((id, k) =>
      makeRun(
        id,
        rows(30).map((r, i) => ({ ...r, scores: { s: ((i * 7) % 10) / 10 + k * 0.3 } })),
      ),
    );
    const c = compareRuns({ runs, experiment: makeExperiment() });
    const s = metric(c.metrics, 's');
    expect(s.deltas.map((d) => [d.run, d.vs])).toEqual([
      ['b', 'a'],
      ['c', 'a'],
      ['d', 'a'],
    ]);
    expect(s.deltas.map((d) => d.delta)).toEqual([0.3, 0.6, 0.9].map((x) => expect.closeTo(x, 10)));
    expect(s.deltas.every((d) => d.verdict === 'better')).toBe(true);
    expect(c.settings.tests).toBe(6);
  });
});
