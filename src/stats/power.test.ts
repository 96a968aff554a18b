import { describe, expect, it } from 'vitest';
import { loadCompareReference } from '../compare/__fixtures__/load-reference.ts';
import { closeTo } from './__fixtures__/load-reference.ts';
import { minimumDetectableEffect, pairsNeeded } from './power.ts';

describe('minimumDetectableEffect', () => {
  it('matches the reference and really has about 80% power (noncentral t, scipy.stats.nct)', () => {
    for (const c of loadCompareReference().power) {
      expect(closeTo(minimumDetectableEffect(c.sd, c.n)!, c.mde, 1e-9)).toBe(true);
      expect(Math.abs(c.power - 0.8)).toBeLessThan(0.005);
    }
  });

  it('is null below two pairs, and pairsNeeded inverts it', () => {
    expect(minimumDetectableEffect(1, 1)).toBeNull();
    const n = pairsNeeded(0.5, 0.1)!;
    expect(minimumDetectableEffect(0.5, n)!).toBeLessThanOrEqual(0.1);
    expect(minimumDetectableEffect(0.5, n - 1)!).toBeGreaterThan(0.1);
    expect(pairsNeeded(0, 0.1)).toBe(2);
  });
});
