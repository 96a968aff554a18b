import { describe, expect, it } from 'vitest';
import { loadCompareReference } from '../compare/__fixtures__/load-reference.ts';
import { pairedBootstrapMeans } from './paired-bootstrap.ts';
import { Mulberry32 } from './prng.ts';

describe('pairedBootstrapMeans', () => {
  it("agrees with scipy.stats.bootstrap(method='percentile') within its Monte Carlo error", () => {
    // Both sides are random: with 20,000 resamples here and 50,000 in scipy, each endpoint's
    // Monte Carlo error is well under 0.1 standard errors of the mean; the tolerance is 0.15 SE.
    for (const c of loadCompareReference().bootstrap) {
      const [ci] = pairedBootstrapMeans([Float64Array.from(c.d)], { resamples: 20_000, seed: 99 });
      expect(Math.abs(ci![0] - c.ci[0]), `n=${c.d.length} low`).toBeLessThan(0.15 * c.standardError);
      expect(Math.abs(ci![1] - c.ci[1]), `n=${c.d.length} high`).toBeLessThan(0.15 * c.standardError);
    }
  });

  it('is deterministic for a seed, and a column does not depend on its companions', () => {
    const x = Float64Array.from({ length: 50 }, (_, i) => Math.sin(i) * 3);
    const y = Float64Array.from({ length: 50 }, (_, i) => i % 7);
    const alone = pairedBootstrapMeans([x], { resamples: 500, seed: 5 });
    const together = pairedBootstrapMeans([y, x], { resamples: 500, seed: 5 });
    expect(together[1]).toEqual(alone[0]);
    expect(pairedBootstrapMeans([x], { resamples: 500, seed: 6 })[0]).not.toEqual(alone[0]);
  });

  it('mirrors exactly when the differences change sign, and collapses for constant data', () => {
    const x = Float64Array.from({ length: 31 }, (_, i) => ((i * 37) % 11) - 4.5);
    const [a] = pairedBootstrapMeans([x], { resamples: 400, seed: 1 });
    const [b] = pairedBootstrapMeans([x.map((v) => -v)], { resamples: 400, seed: 1 });
    expect(b).toEqual([-a![1], -a![0]]);
    expect(pairedBootstrapMeans([new Float64Array(10).fill(2)], { resamples: 100, seed: 1 })[0]).toEqual([2, 2]);
    expect(pairedBootstrapMeans([new Float64Array(0)], { resamples: 100, seed: 1 })).toEqual([null]);
  });
});

describe('Mulberry32', () => {
  it('fill continues the same stream as nextUint32', () => {
    const a = new Mulberry32(42);
    const b = new Mulberry32(42);
    const buffer = new Uint32Array(5);
    b.fill(buffer);
    expect([...buffer]).toEqual([0, 0, 0, 0, 0].map(() => a.nextUint32()));
    expect(b.nextUint32()).toBe(a.nextUint32());
  });

  it('draws indices uniformly enough (chi-square over 10 cells)', () => {
    const rng = new Mulberry32(7);
    const counts = new Array(10).fill(0);
    for (let i = 0; i < 100_000; i++) counts[rng.nextIndex(10)]++;
    const chi = counts.reduce((s, c) => s + (c - 10_000) ** 2 / 10_000, 0);
    // 99.9th percentile of chi-square with 9 df is 27.9.
    expect(chi).toBeLessThan(27.9);
    expect(new Mulberry32(1).nextFloat()).toBeLessThan(1);
  });
});
