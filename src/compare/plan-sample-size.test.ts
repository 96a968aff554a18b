import { describe, expect, it } from 'vitest';
import { minimumDetectableEffect } from '../stats/power.ts';
import { planSampleSize } from './plan-sample-size.ts';

describe('planSampleSize', () => {
  const values = Float64Array.from({ length: 50 }, (_, i) => (i % 5 < 3 ? 1 : 0)); // pass rate 0.6
  it('gives the fewest pairs whose detectable effect reaches the MDE (the formula, n and n − 1)', () => {
    const plan = planSampleSize(values, 0.1, { alpha: 0.05, power: 0.8 });
    const sd = Math.sqrt((0.6 * 0.4 * 50) / 49);
    expect(plan.sd).toBeCloseTo(sd, 12);
    expect(plan.sdDifference).toBeCloseTo(sd * Math.SQRT2, 12);
    const n = plan.examplesNeeded!;
    expect(minimumDetectableEffect(plan.sdDifference, n)!).toBeLessThanOrEqual(0.1);
    expect(minimumDetectableEffect(plan.sdDifference, n - 1)!).toBeGreaterThan(0.1);
    // Normal approximation: (1.95996 + 0.84162)² · 2 · 0.2449 / 0.01 ≈ 384.6.
    expect(n).toBeGreaterThanOrEqual(385);
    expect(n).toBeLessThan(392);
  });

  it('scales with the design effect of a cluster key', () => {
    const clusters = Int32Array.from({ length: 50 }, (_, i) => Math.floor(i / 5)); // each cluster 3 pass + 2 fail: CR1 below s²/n
    const together = Int32Array.from({ length: 50 }, (_, i) => (i % 5 < 3 ? 0 : 1)); // passes together: deff > 1
    // Floored at 1: clustering never plans fewer examples than independent ones would need.
    const mixed = planSampleSize(values, 0.1, { alpha: 0.05, power: 0.8, clusters });
    expect(mixed.designEffect).toBe(1);
    expect(mixed.examplesNeeded).toBe(planSampleSize(values, 0.1, { alpha: 0.05, power: 0.8 }).examplesNeeded);
    const plan = planSampleSize(values, 0.1, { alpha: 0.05, power: 0.8, clusters: together });
    expect(plan.designEffect).toBeGreaterThan(1);
    expect(plan.examplesNeeded!).toBeGreaterThan(planSampleSize(values, 0.1, { alpha: 0.05, power: 0.8 }).examplesNeeded!);
  });

  it('cannot plan from no spread', () => {
    expect(planSampleSize(Float64Array.of(1, 1, 1), 0.1, { alpha: 0.05, power: 0.8 }).examplesNeeded).toBeNull();
  });
});
