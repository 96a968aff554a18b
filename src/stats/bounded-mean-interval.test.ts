import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { boundedMeanInterval } from './bounded-mean-interval.ts';

describe('boundedMeanInterval', () => {
  it('gives Wilson(1, 2) for scores 0 and 1 in [0, 1], not the t-interval [-3.95, 4.95]', () => {
    // By hand, z = 1.959964: centre = (0.5 + z²/4) / (1 + z²/2) = 0.5,
    // half = z / (1 + z²/2) · √(0.25/2 + z²/16) = 0.405469; statsmodels proportion_confint(1, 2, method='wilson') agrees.
    const [lo, hi] = boundedMeanInterval([0, 1], [0, 1], 0.95)!;
    expect(lo).toBeCloseTo(0.094531, 5);
    expect(hi).toBeCloseTo(0.905469, 5);
  });

  it('maps a declared range back: scores 3 and 4 on a 1..5 scale stay inside [1, 5]', () => {
    // Rescaled: 0.5 and 0.75, sum 1.25 of 2 → Wilson(1.25, 2) = [0.1562, 0.9438] by the formula above.
    const z = 1.959963984540054;
    const p = 0.625,
      n = 2,
      d = 1 + (z * z) / n;
    const centre = (p + (z * z) / (2 * n)) / d;
    const half = (z / d) * Math.sqrt((p * (1 - p)) / n + (z * z) / (4 * n * n));
    const [lo, hi] = boundedMeanInterval([3, 4], [1, 5], 0.95)!;
    expect(lo).toBeCloseTo(1 + 4 * (centre - half), 10);
    expect(hi).toBeCloseTo(1 + 4 * (centre + half), 10);
    expect(lo).toBeGreaterThanOrEqual(1);
    expect(hi).toBeLessThanOrEqual(5);
  });

  it('stays inside the bounds at every n and reaches them only when every value sits on one', () => {
    for (let n = 2; n <= 30; n++) {
      const values = Array.from({ length: n }, (_, i) => (i % 3) / 2);
      const [lo, hi] = boundedMeanInterval(values, [0, 1], 0.95)!;
      expect(lo).toBeGreaterThan(0);
      expect(hi).toBeLessThan(1);
    }
    expect(boundedMeanInterval([1, 1, 1], [0, 1], 0.95)![1]).toBe(1);
    expect(boundedMeanInterval([], [0, 1], 0.95)).toBeNull();
  });
});

describe('boundedMeanInterval against statsmodels (scripts/reference-stats/make_bounded_reference.py)', () => {
  const ref = JSON.parse(readFileSync(new URL('./__fixtures__/statsmodels-bounded-reference.json', import.meta.url), 'utf8')) as {
    cases: Array<{ name: string; values: number[]; bounds: [number, number]; ci: [number, number] }>;
  };
  it.each(ref.cases.map((c) => [c.name, c] as const))('%s', (_, c) => {
    const [lo, hi] = boundedMeanInterval(c.values, c.bounds, 0.95)!;
    const scale = c.bounds[1] - c.bounds[0];
    expect(Math.abs(lo - c.ci[0])).toBeLessThan(1e-12 * scale);
    expect(Math.abs(hi - c.ci[1])).toBeLessThan(1e-12 * scale);
    expect(lo).toBeGreaterThanOrEqual(c.bounds[0]);
    expect(hi).toBeLessThanOrEqual(c.bounds[1]);
  });
});
