import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Trace } from '../../schemas/trace.ts';
import { type ExampleRow, makeExperiment, makeRun, recordsOf, type TestRun } from './__fixtures__/make-runs.ts';
import { compareRuns, type RunToCompare } from './compare-runs.ts';
import { renderComparisonCompact } from './render-comparison-compact.ts';

const experiment = makeExperiment({
  metrics: [
    { name: 's', direction: 'higher', kind: 'number' },
    { name: 'ok', direction: 'higher', kind: 'boolean' },
  ],
});
const options = { resamples: 200, seed: 9 };

/** A run whose example i was evaluated once per entry of values[i], as trials 1..K. */
function trialRun(id: string, values: number[][]): TestRun {
  const rows: ExampleRow[] = values.flatMap((trials, e) => trials.map((s) => ({ example: `e${e}`, scores: { s, ok: s > 0.5 } })));
  const run = makeRun(id, rows);
  let t = 0;
  const traces: Trace[] = values.flatMap((trials) => trials.map((_, k) => ({ ...run.traces[t++]!, trial: k + 1 })));
  return recordsOf({ ...run, traces });
}

describe('compareRuns with trials', () => {
  it('pairs on examples using each run’s per-example means, whatever K each run has', () => {
    const base = trialRun('a', [[0.2], [0.4], [0.6], [0.8]]);
    const three = trialRun('b', [
      [0.3, 0.5, 0.4],
      [0.4, 0.6, 0.8],
      [0.9, 0.7, 0.8],
      [1, 0.6, 0.8],
    ]);
    const c = compareRuns({ runs: [base, three], experiment, options });
    expect(c.alignment.runs[1]!.trials).toBe(3);
    expect(c.alignment.runs[1]!.duplicates).toEqual([]);
    expect(c.alignment.matched).toBe(4);
    const s = c.metrics.find((m) => m.name === 's')!;
    expect(s.n).toBe(4);
    expect(s.runs[1]!.mean).toBeCloseTo((0.4 + 0.6 + 0.8 + 0.8) / 4, 12);
    expect(s.deltas[0]!.delta).toBeCloseTo(0.65 - 0.5, 12);
    const ok = c.metrics.find((m) => m.name === 'ok')!;
    expect(ok.runs[1]!.mean).toBeCloseTo((0 + 2 / 3 + 1 + 1) / 4, 12);
    const trials = s.runs[1]!.trials!;
    expect(trials.k).toBe(3);
    // Hand computation: within variances 0.01, 0.04, 0.01, 0.04 → σ²w = 0.025; example means
    // 0.4, 0.6, 0.8, 0.8 → variance 0.0366…; σ²b = 0.036667 − 0.025/3 = 0.028333.
    expect(trials.withinShare).toBeCloseTo(0.025 / (0.025 + 0.0283333333), 8);
    expect(trials.seRatioAtDoubleK).toBeCloseTo(Math.sqrt((0.0283333333 + 0.025 / 6) / (0.0283333333 + 0.025 / 3)), 8);
    expect(s.runs[0]!.trials).toBeUndefined();
  });

  it('no spread within examples means nothing to gain from more trials', () => {
    const base = trialRun('a', [[0.5], [0.5]]);
    const steady = trialRun('b', [
      [1, 1],
      [0, 0],
    ]);
    const c = compareRuns({ runs: [base, steady], experiment, options });
    expect(c.metrics.find((m) => m.name === 's')!.runs[1]!.trials).toEqual({ k: 2, withinShare: 0, seRatioAtDoubleK: 1 });
  });

  it('K = 1 (every trace trial 1) gives exactly the comparison without trials', () => {
    const row = fc.record({ s: fc.oneof(fc.constantFrom(0, 1), fc.double({ min: -5, max: 5, noNaN: true })) });
    fc.assert(
      fc.property(fc.array(fc.tuple(row, row), { minLength: 1, maxLength: 30 }), (pairs) => {
        const plainA = makeRun(
          'a',
          pairs.map(([x], i) => ({ example: `e${i}`, scores: { s: x.s, ok: x.s > 0.5 } })),
        );
        const plainB = makeRun(
          'b',
          pairs.map(([, y], i) => ({ example: `e${i}`, scores: { s: y.s, ok: y.s > 0.5 } })),
        );
        const one = (run: TestRun): RunToCompare => recordsOf({ ...run, traces: run.traces.map((t) => ({ ...t, trial: 1 })) });
        const withTrial = compareRuns({ runs: [one(plainA), one(plainB)], experiment, options });
        const without = compareRuns({ runs: [plainA, plainB], experiment, options });
        expect(withTrial).toEqual(without);
      }),
      { numRuns: 60 },
    );
  });
});

describe('pass@k and pass^k in compare', () => {
  it('gives them for a pass/fail metric of a run with trials, at the fewest trials per example', () => {
    const base = trialRun('a', [[0.2], [0.4], [0.6], [0.8]]);
    // ok per example: e0 0/3, e1 1/3 (0.6 only), e2 3/3, e3 2/2 → k = 2.
    const b = trialRun('b', [
      [0.3, 0.5, 0.4],
      [0.4, 0.6, 0.2],
      [0.9, 0.7, 0.8],
      [1, 0.6],
    ]);
    const c = compareRuns({ runs: [base, b], experiment, options });
    const t = c.metrics.find((m) => m.name === 'ok')!.runs[1]!.trials!;
    // By hand: pass@2 = (0 + (1 − C(2,2)/C(3,2)) + 1 + 1) / 4 = (2/3 + 2) / 4 = 2/3; pass^2 = (0 + 0 + 1 + 1) / 4 = 0.5.
    expect(t.passK).toBe(2);
    expect(t.passAtK).toBeCloseTo(2 / 3, 14);
    expect(t.passHatK).toBeCloseTo(0.5, 14);
    expect(c.metrics.find((m) => m.name === 's')!.runs[1]!.trials!.passAtK).toBeUndefined();
  });
});

describe('pass@k and pass^k in the compare displays', () => {
  it('shows them beside the pass rate of the run with trials', () => {
    const base = trialRun('a', [[0.2], [0.4], [0.6], [0.8]]);
    const b = trialRun('b', [
      [0.3, 0.5, 0.4],
      [0.4, 0.6, 0.2],
      [0.9, 0.7, 0.8],
      [1, 0.6],
    ]);
    const c = compareRuns({ runs: [base, b], experiment, options });
    expect(renderComparisonCompact(c, 160)).toMatch(/pass@2 66\.7% pass\^2 50\.0%/);
  });
});
