import { describe, expect, it } from 'vitest';
import { type ExampleRow, makeExperiment, makeRun } from './__fixtures__/make-runs.ts';
import { compareRuns } from './compare-runs.ts';
import type { MetricComparison } from './comparison.ts';
import { comparisonView } from './comparison-view.ts';
import { renderComparisonCompact } from './render-comparison-compact.ts';
import { renderComparisonText } from './render-comparison.ts';
import { tMeanInterval } from '../stats/mean-interval.ts';
import { moments } from '../stats/moments.ts';

// Few traces, one slow: the t-interval of the mean latency reaches below 0 ms.
const slowA = [0.05, 0.05, 0.05, 0.05, 0.05, 0.05, 4.2];
// The candidate is faster on every example, so its differences are all negative.
const fastB = [0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.5];

function rows(latencies: number[], tokens?: number[]): ExampleRow[] {
  return latencies.map((latency, i) => ({
    example: `ex-${i}`,
    scores: { quality: [-3, 2, -1, 0, 1, -2, 9][i]! },
    latency,
    ...(tokens ? { tokens: tokens[i]! } : {}),
  }));
}

function metric(metrics: MetricComparison[], name: string): MetricComparison {
  const m = metrics.find((x) => x.name === name);
  if (!m) throw new Error(`no metric ${name}`);
  return m;
}

describe('intervals of quantities that cannot be negative', () => {
  const tokensA = [3, 3, 3, 3, 3, 3, 900];
  const comparison = compareRuns({
    runs: [makeRun('a', rows(slowA, tokensA)), makeRun('b', rows(fastB, tokensA))],
    experiment: makeExperiment({ metrics: [{ name: 'quality', direction: 'higher', kind: 'number' }] }),
  });

  it('truncates the mean latency and tokens intervals at 0 where Student t goes below it', () => {
    const { mean, std } = moments(Float64Array.from(slowA));
    const t = tMeanInterval(mean!, std!, slowA.length)!;
    expect(t[0]).toBeLessThan(0); // the case this guards against
    const latency = metric(comparison.metrics, 'latencyMs').runs[0]!;
    expect(latency.ciMethod).toBe('t');
    expect(latency.ci![0]).toBe(0);
    expect(latency.ci![1]).toBeCloseTo(t[1], 12);
    expect(metric(comparison.metrics, 'tokens').runs[0]!.ci![0]).toBe(0);
  });

  it('leaves the difference between runs free to be negative', () => {
    const delta = metric(comparison.metrics, 'latencyMs').deltas[0]!;
    expect(delta.delta!).toBeLessThan(0);
    expect(delta.ci![0]).toBeLessThan(0);
    expect(delta.ci![1]).toBeLessThan(0);
  });

  it('leaves a score, which may be negative, with its t-interval', () => {
    expect(metric(comparison.metrics, 'quality').runs[0]!.ci![0]).toBeLessThan(-1);
  });

  it('truncates the clustered interval too', () => {
    const clusterRows = (latencies: number[]) =>
      [...latencies, ...latencies].map((latency, i) => ({ example: `ex-${i}`, latency, metadata: { doc: `d${i % 7}` } }));
    const c = compareRuns({
      runs: [makeRun('a', clusterRows(slowA), { cluster: 'metadata.doc' }), makeRun('b', clusterRows(fastB), { cluster: 'metadata.doc' })],
      experiment: makeExperiment({ metrics: [], cluster: 'metadata.doc' }),
    });
    const latency = metric(c.metrics, 'latencyMs');
    expect(latency.runs[0]!.ciMethod).toBe('clustered-t');
    expect(latency.runs[0]!.ci![0]).toBe(0);
    expect(latency.deltas[0]!.ci![0]).toBeLessThan(0);
  });
});

describe('the truncated interval in the views', () => {
  it('prints the latency mean with an interval from 0 in the compact and wide tables', () => {
    const c = compareRuns({ runs: [makeRun('a', rows(slowA)), makeRun('b', rows(fastB))], experiment: makeExperiment({ metrics: [] }) });
    const compact = renderComparisonCompact(c);
    expect(compact).toMatch(/^latency \(ms\) · lower is better · n = 7$/m);
    expect(compact).toMatch(/^ {2}A a\s+0\.643 \[0, 2\.09\]\s+baseline$/m);
    expect(compact).toMatch(/^ {2}B b\s+0\.08 \[0, 0\.251\]\s+Δ -0\.563 \[-1\.61, -0\.04\]/m);
    const wide = renderComparisonText(comparisonView(c));
    expect(wide).toMatch(/latency \(ms\)\s+latency\s+lower is better\s+A\s+7\s+0\.643 \[0, 2\.09\]/);
  });
});
