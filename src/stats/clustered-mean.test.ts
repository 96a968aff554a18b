import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { closeTo } from './__fixtures__/load-reference.ts';
import { clusteredInterval, clusteredMean } from './clustered-mean.ts';
import { tMeanInterval } from './mean-interval.ts';
import { moments } from './moments.ts';

interface ClusterCase {
  name: string;
  values: number[];
  clusters: number[];
  mean: number;
  se: number;
  naiveSe: number;
  designEffect: number;
  groups: number;
}

// Made by scripts/reference-stats/make_cluster_reference.py with statsmodels (OLS, cov_type='cluster').
const reference = JSON.parse(readFileSync(new URL('./__fixtures__/statsmodels-cluster-reference.json', import.meta.url), 'utf8')) as {
  cases: ClusterCase[];
};

describe('clusteredMean', () => {
  it.each(reference.cases.map((c) => [c.name, c] as const))('matches statsmodels on %s', (_, c) => {
    const result = clusteredMean(Float64Array.from(c.values), Int32Array.from(c.clusters))!;
    expect(closeTo(result.mean, c.mean, 1e-12, 1e-15)).toBe(true);
    expect(closeTo(result.cr1Se, c.se, 1e-10)).toBe(true);
    expect(closeTo(result.naiveSe, c.naiveSe, 1e-10)).toBe(true);
    // Floored at 1: the SE used is never below the independent one.
    expect(closeTo(result.designEffect, Math.max(1, c.designEffect), 1e-9)).toBe(true);
    expect(closeTo(result.se, Math.max(c.se, c.naiveSe), 1e-10)).toBe(true);
    expect(result.clusters).toBe(c.groups);
  });

  it('inflates the variance when values of a cluster agree', () => {
    const c = reference.cases.find((x) => x.name === 'document effect')!;
    expect(c.designEffect).toBeGreaterThan(1.5);
  });

  it('never narrows the interval when values of a cluster disagree (negative within-cluster correlation)', () => {
    // Each document has one high and one low answer: the cluster sums of residuals nearly cancel,
    // and CR1 alone would give a far smaller SE than independent values.
    const values = Float64Array.from([0.9, 0.1, 0.8, 0.2, 1, 0, 0.7, 0.35, 0.95, 0.05, 0.6, 0.3, 0.85, 0.15, 0.9, 0.2]);
    const cluster = Int32Array.from(values, (_, i) => Math.floor(i / 2));
    const result = clusteredMean(values, cluster)!;
    expect(result.cr1Se).toBeLessThan(result.naiveSe / 2);
    expect(result.designEffect).toBe(1);
    expect(result.se).toBe(result.naiveSe);
    const { mean, std } = moments(values);
    const plain = tMeanInterval(mean!, std!, values.length)!;
    const clustered = clusteredInterval(result);
    // G − 1 = 7 degrees of freedom instead of 15: at least as wide as the independent interval.
    expect(clustered[1] - clustered[0]).toBeGreaterThanOrEqual(plain[1] - plain[0]);
  });

  it('is null with fewer than two values or two clusters', () => {
    expect(clusteredMean(Float64Array.of(1), Int32Array.of(0))).toBeNull();
    expect(clusteredMean(Float64Array.of(1, 2, 3), Int32Array.of(4, 4, 4))).toBeNull();
  });

  it('reduces to the t interval of independent values when every cluster has one value', () => {
    fc.assert(
      // Values on a grid: subnormal spreads (1e-320) would make the ratio of two rounded variances meaningless.
      fc.property(
        fc.array(
          fc.integer({ min: -1e6, max: 1e6 }).map((k) => k / 997),
          { minLength: 2, maxLength: 60 },
        ),
        (xs) => {
          const values = Float64Array.from(xs);
          const result = clusteredMean(
            values,
            Int32Array.from(xs, (_, i) => i),
          )!;
          const { mean, std } = moments(values);
          const expected = tMeanInterval(mean!, std!, xs.length)!;
          const actual = clusteredInterval(result);
          const scale = Math.max(1, Math.abs(expected[0]), Math.abs(expected[1]));
          expect(Math.abs(actual[0] - expected[0])).toBeLessThanOrEqual(1e-9 * scale);
          expect(Math.abs(actual[1] - expected[1])).toBeLessThanOrEqual(1e-9 * scale);
          if (result.naiveSe > 0) expect(result.designEffect).toBeCloseTo(1, 9);
        },
      ),
    );
  });
});
