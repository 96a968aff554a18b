import { describe, expect, it } from 'vitest';
import { closeTo, loadScipyReference } from './__fixtures__/load-reference.ts';
import { incompleteBeta } from './incomplete-beta.ts';
import { logGamma } from './log-gamma.ts';
import { tMeanInterval } from './mean-interval.ts';
import { studentTQuantile, studentTSf } from './student-t.ts';

const ref = loadScipyReference();

describe('Student t against scipy', () => {
  it('quantile matches scipy.stats.t.ppf to 1e-10 relative', () => {
    for (const { p, df, value } of ref.tQuantile) {
      const actual = studentTQuantile(p, df);
      expect(closeTo(actual, value, 1e-10), `ppf(${p}, ${df}) = ${actual}, scipy ${value}`).toBe(true);
    }
  });

  it('survival function matches the exact tail (mpmath; scipy.stats.t.sf is off near 0 for df=1) to 1e-11 relative', () => {
    for (const { t, df, value } of ref.tSf) {
      const actual = studentTSf(t, df);
      expect(closeTo(actual, value, 1e-11, 1e-300), `sf(${t}, ${df}) = ${actual}, scipy ${value}`).toBe(true);
    }
  });

  it('the tail and the quantile invert each other and are symmetric', () => {
    for (const df of [1, 3, 30]) {
      for (const p of [0.01, 0.3, 0.77]) expect(studentTSf(-studentTQuantile(p, df), df)).toBeCloseTo(p, 12);
      expect(studentTQuantile(0.2, df)).toBeCloseTo(-studentTQuantile(0.8, df), 12);
    }
    expect(studentTQuantile(0, 3)).toBe(-Infinity);
    expect(studentTQuantile(1, 3)).toBe(Infinity);
    expect(() => studentTQuantile(0.5, 0)).toThrow(RangeError);
  });

  it('incomplete beta and log gamma match scipy.special', () => {
    for (const { x, a, b, value } of ref.betainc)
      expect(closeTo(incompleteBeta(x, a, b), value, 1e-11, 1e-300), `I_${x}(${a},${b})`).toBe(true);
    for (const { x, value } of ref.logGamma) expect(closeTo(logGamma(x), value, 1e-13, 1e-14), `lgamma(${x})`).toBe(true);
  });

  it('tMeanInterval matches scipy.stats.t.interval(0.95, n-1, mean, sem)', () => {
    for (const s of ref.descriptive) {
      const ci = tMeanInterval(s.mean, s.std ?? 0, s.values.length);
      if (s.tInterval95 === null) {
        expect(ci).toBeNull();
        continue;
      }
      expect(closeTo(ci![0], s.tInterval95[0], 1e-10, 1e-12)).toBe(true);
      expect(closeTo(ci![1], s.tInterval95[1], 1e-10, 1e-12)).toBe(true);
    }
  });
});
