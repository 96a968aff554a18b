import { describe, expect, it } from 'vitest';
import { minimumDetectableEffect } from '../stats/power.ts';
import { makeExperiment, makeRun } from './__fixtures__/make-runs.ts';
import { compareRuns } from './compare-runs.ts';
import type { MetricDelta } from './comparison.ts';
import { comparisonView } from './comparison-view.ts';
import { nonInferiorityDecision } from './non-inferiority.ts';
import { renderComparisonMarkdown } from './render-comparison.ts';

const base = { alpha: 0.05, power: 0.8, sd: 0.2 };
const delta = (ci: [number, number], verdict: MetricDelta['verdict'] = 'no detectable difference') => ({
  delta: (ci[0] + ci[1]) / 2,
  ci,
  verdict,
});

describe('nonInferiorityDecision at the boundary', () => {
  it('passes when the interval lies above −δ, and not when its end touches −δ', () => {
    expect(nonInferiorityDecision({ ...base, direction: 'higher', margin: 0.05, delta: delta([-0.0499, 0.1]) }).decision).toBe('pass');
    const touching = nonInferiorityDecision({ ...base, direction: 'higher', margin: 0.05, delta: delta([-0.05, 0.1]) });
    expect(touching.decision).toBe('indeterminate');
    expect(touching.reason).toContain('straddles −0.05');
  });

  it('fails when the interval lies below −δ, and not when its upper end touches −δ', () => {
    expect(nonInferiorityDecision({ ...base, direction: 'higher', margin: 0.05, delta: delta([-0.2, -0.0501]) }).decision).toBe('fail');
    expect(nonInferiorityDecision({ ...base, direction: 'higher', margin: 0.05, delta: delta([-0.2, -0.05]) }).decision).toBe(
      'indeterminate',
    );
  });

  it('fails on a significant regression even inside the margin', () => {
    const result = nonInferiorityDecision({ ...base, direction: 'higher', margin: 0.5, delta: delta([-0.04, -0.01], 'worse') });
    expect(result.decision).toBe('fail');
    expect(result.reason).toContain('significant regression');
  });

  it('turns the interval for a lower-is-better metric', () => {
    // Latency +[−10, +40] ms with δ = 50 ms: the worst case is 40 ms slower, inside the margin.
    expect(nonInferiorityDecision({ ...base, direction: 'lower', margin: 50, delta: delta([-10, 40]) }).decision).toBe('pass');
    expect(nonInferiorityDecision({ ...base, direction: 'lower', margin: 30, delta: delta([-10, 40]) }).decision).toBe('indeterminate');
    expect(nonInferiorityDecision({ ...base, direction: 'lower', margin: 5, delta: delta([10, 40]) }).decision).toBe('fail');
  });

  it('gives, when indeterminate, the fewest pairs whose detectable effect reaches δ', () => {
    const result = nonInferiorityDecision({ ...base, direction: 'higher', margin: 0.05, delta: delta([-0.08, 0.02]) });
    const n = result.examplesNeeded!;
    // (t₀.₉₇₅ + t₀.₈) · sd / √n ≤ δ at n and not at n − 1; the normal approximation gives 125.6.
    expect(minimumDetectableEffect(0.2, n)!).toBeLessThanOrEqual(0.05);
    expect(minimumDetectableEffect(0.2, n - 1)!).toBeGreaterThan(0.05);
    expect(n).toBeGreaterThanOrEqual(126);
    expect(n).toBeLessThan(132);
    expect(result.reason).toContain(`about ${n} would be needed`);
  });
});

describe('compareRuns with a margin', () => {
  it('reports the gate on the metric that has a margin, and only there', () => {
    const rows = (noise: number) =>
      Array.from({ length: 40 }, (_, i) => ({ example: `e${i}`, scores: { s: ((i * 37) % 11) / 10 + noise * ((i % 3) - 1), t: i } }));
    const experiment = makeExperiment({
      metrics: [
        { name: 's', direction: 'higher', kind: 'number', margin: 0.3 },
        { name: 't', direction: 'higher', kind: 'number' },
      ],
    });
    const c = compareRuns({ runs: [makeRun('a', rows(0)), makeRun('b', rows(0.02))], experiment, options: { resamples: 200, seed: 1 } });
    const s = c.metrics.find((m) => m.name === 's')!.deltas[0]!;
    expect(s.nonInferiority).toMatchObject({ margin: 0.3, decision: 'pass' });
    // Every example 0.01 worse: a significant regression fails the gate, margin or not.
    const worse = compareRuns({
      runs: [
        makeRun('a', rows(0)),
        makeRun(
          'b',
          rows(0).map((r) => ({ ...r, scores: { ...r.scores, s: r.scores.s - 0.01 } })),
        ),
      ],
      experiment,
      options: { resamples: 200, seed: 1 },
    });
    expect(worse.metrics.find((m) => m.name === 's')!.deltas[0]!.nonInferiority).toMatchObject({ decision: 'fail' });
    const markdown = renderComparisonMarkdown(comparisonView(c));
    expect(markdown).toContain('**Non-inferiority**');
    expect(markdown).toMatch(
      /- s B vs A: pass \(margin 0\.3\) — no worse than the margin: the interval of the change \[-?[\d.]+, [\d.]+\] lies above −0\.3/,
    );
    expect(markdown).toContain('· NI pass');
    expect(c.metrics.find((m) => m.name === 't')!.deltas[0]!.nonInferiority).toBeUndefined();
  });
});
