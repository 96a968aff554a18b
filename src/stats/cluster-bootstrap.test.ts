import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { clusterBootstrapMeans } from './cluster-bootstrap.ts';
import { pairedBootstrapMeans } from './paired-bootstrap.ts';

describe('clusterBootstrapMeans', () => {
  it('with one example per cluster equals the paired bootstrap exactly', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: -1e3, max: 1e3, noNaN: true }), { minLength: 1, maxLength: 40 }),
        fc.integer({ min: 0, max: 2 ** 31 }),
        fc.integer({ min: 1, max: 300 }),
        (values, seed, resamples) => {
          const column = Float64Array.from(values);
          // Singleton clusters with arbitrary distinct ids: numbering is by first appearance.
          const ids = values.map((_, i) => 1000 - 7 * i);
          const options = { seed, resamples };
          expect(clusterBootstrapMeans([column], ids, options)).toEqual(pairedBootstrapMeans([column], options));
        },
      ),
      { numRuns: 200 },
    );
  });

  it('is wider than the example bootstrap when clusters move together', () => {
    // 10 clusters of 5 identical differences: the example bootstrap sees 50 independent values.
    const values = Float64Array.from({ length: 50 }, (_, i) => (Math.floor(i / 5) % 2 === 0 ? 1 : -0.6));
    const ids = Array.from({ length: 50 }, (_, i) => Math.floor(i / 5));
    const options = { seed: 20240611, resamples: 2000 };
    const [clustered] = clusterBootstrapMeans([values], ids, options);
    const [naive] = pairedBootstrapMeans([values], options);
    const width = (ci: [number, number] | null) => ci![1] - ci![0];
    // √5 ≈ 2.24 times wider in theory (design effect 5); allow Monte Carlo slack.
    expect(width(clustered!) / width(naive!)).toBeGreaterThan(1.8);
    expect(width(clustered!) / width(naive!)).toBeLessThan(2.7);
  });

  it('refuses cluster ids that do not match the rows', () => {
    expect(() => clusterBootstrapMeans([new Float64Array(3)], [1, 2], { seed: 1, resamples: 10 })).toThrow(RangeError);
  });
});
