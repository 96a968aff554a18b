import { describe, expect, it } from 'vitest';
import { closeTo, loadScipyReference } from './__fixtures__/load-reference.ts';
import { wilsonInterval } from './wilson.ts';

describe('wilsonInterval', () => {
  it("matches scipy.stats.binomtest(k, n).proportion_ci(method='wilson')", () => {
    for (const { successes, n, low, high } of loadScipyReference().wilson) {
      const [lo, hi] = wilsonInterval(successes, n)!;
      expect(closeTo(lo, low, 1e-12, 1e-15), `${successes}/${n} low ${lo} vs ${low}`).toBe(true);
      expect(closeTo(hi, high, 1e-12, 1e-15), `${successes}/${n} high ${hi} vs ${high}`).toBe(true);
    }
  });

  it('pins 0 and n successes to the bounds and rejects impossible counts', () => {
    expect(wilsonInterval(0, 20)![0]).toBe(0);
    expect(wilsonInterval(20, 20)![1]).toBe(1);
    expect(wilsonInterval(0, 0)).toBeNull();
    expect(() => wilsonInterval(5, 3)).toThrow(RangeError);
  });

  it('narrows with a lower confidence', () => {
    const [lo95, hi95] = wilsonInterval(30, 50)!;
    const [lo80, hi80] = wilsonInterval(30, 50, 0.8)!;
    expect(hi80 - lo80).toBeLessThan(hi95 - lo95);
  });
});
