import { describe, expect, it } from 'vitest';
import { closeTo, loadScipyReference } from './__fixtures__/load-reference.ts';
import { normalQuantile, normalSf } from './normal.ts';

const ref = loadScipyReference();

describe('normal distribution against scipy', () => {
  it('quantile matches scipy.stats.norm.ppf to 1e-14 relative', () => {
    for (const { p, value } of ref.normal.quantile) expect(closeTo(normalQuantile(p), value, 1e-14, 1e-15), `ppf(${p})`).toBe(true);
  });

  it('survival function matches scipy.stats.norm.sf to 1e-13 relative, far tail included', () => {
    for (const { z, value } of ref.normal.sf)
      expect(closeTo(normalSf(z), value, 1e-13, 1e-300), `sf(${z}) = ${normalSf(z)} vs ${value}`).toBe(true);
  });

  it('has the exact symmetric values and limits', () => {
    expect(normalSf(0)).toBe(0.5);
    expect(normalSf(1.3) + normalSf(-1.3)).toBeCloseTo(1, 15);
    expect(normalQuantile(0)).toBe(-Infinity);
    expect(normalQuantile(1)).toBe(Infinity);
    expect(() => normalQuantile(2)).toThrow(RangeError);
  });
});
