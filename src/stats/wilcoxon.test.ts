import { describe, expect, it } from 'vitest';
import { loadCompareReference } from '../compare/__fixtures__/load-reference.ts';
import { closeTo } from './__fixtures__/load-reference.ts';
import { wilcoxonSignedRank } from './wilcoxon.ts';

describe('wilcoxonSignedRank against scipy.stats.wilcoxon (scipy 1.17 defaults)', () => {
  it('picks the same method and gets the statistic exactly and the p-value to 1e-9 relative', () => {
    for (const c of loadCompareReference().wilcoxon) {
      const r = wilcoxonSignedRank(c.d)!;
      const label = `n=${c.d.length}`;
      expect(r.method, label).toBe(c.method);
      expect(r.statistic, label).toBe(c.statistic);
      expect(closeTo(r.pValue, c.pValue, 1e-9, 1e-15), `${label}: p ${r.pValue} vs scipy ${c.pValue}`).toBe(true);
    }
  });

  it('gives p = 1 when every difference is zero (scipy: NaN above n = 13) and null for no data', () => {
    expect(wilcoxonSignedRank(new Float64Array(30))).toMatchObject({ pValue: 1, statistic: 0, nonZero: 0 });
    expect(wilcoxonSignedRank([0, 0, 0])).toMatchObject({ method: 'permutation', pValue: 1 });
    expect(wilcoxonSignedRank([])).toBeNull();
  });

  it('is symmetric: negating the differences keeps statistic and p-value', () => {
    const d = [0.4, -1.2, 2.5, 0.4, 3.3, -0.1, 1.7, 0, 2.2, 0.9, -0.6, 1.1, 4.0, 0.4];
    const a = wilcoxonSignedRank(d)!;
    const b = wilcoxonSignedRank(d.map((x) => -x))!;
    expect({ ...b, z: -b.z!, rPlus: a.rPlus }).toEqual(a);
    expect(b.rPlus).toBe((a.nonZero * (a.nonZero + 1)) / 2 - a.rPlus);
  });
});
