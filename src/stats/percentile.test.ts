import { describe, expect, it } from 'vitest';
import { closeTo, loadScipyReference } from './__fixtures__/load-reference.ts';
import { percentileSorted, sortedCopy } from './percentile.ts';

const ref = loadScipyReference();

describe('percentileSorted', () => {
  it('matches numpy.percentile (linear) on the reference samples', () => {
    for (const sample of ref.descriptive) {
      const sorted = sortedCopy(sample.values);
      for (const [p, expected] of Object.entries(sample.percentiles)) {
        const actual = percentileSorted(sorted, Number(p) / 100) as number;
        expect(closeTo(actual, expected, 1e-12, 1e-12), `p${p} of ${sample.values.length} values: ${actual} vs ${expected}`).toBe(true);
      }
    }
  });

  it('interpolates between ranks', () => {
    expect(percentileSorted([10, 20, 30, 40], 0.5)).toBe(25);
    expect(percentileSorted([10, 20, 30, 40], 0.9)).toBeCloseTo(37, 12);
    expect(percentileSorted([7], 0.99)).toBe(7);
  });

  it('returns null for an empty sample and rejects p outside [0, 1]', () => {
    expect(percentileSorted([], 0.5)).toBeNull();
    expect(() => percentileSorted([1], 1.5)).toThrow(RangeError);
    expect(() => percentileSorted([1], Number.NaN)).toThrow(RangeError);
  });

  it('sortedCopy sorts numerically without touching the input', () => {
    const input = [10, 9, 100, -1];
    expect([...sortedCopy(input)]).toEqual([-1, 9, 10, 100]);
    expect(input).toEqual([10, 9, 100, -1]);
  });
});
