import { describe, expect, it } from 'vitest';
import { loadCompareReference } from '../compare/__fixtures__/load-reference.ts';
import { closeTo } from './__fixtures__/load-reference.ts';
import { chiSquareContingency } from './chi-square-contingency.ts';
import { fisherExact2x2 } from './fisher-exact.ts';
import { chiSquareSf } from './incomplete-gamma.ts';
import { mcnemarTest } from './mcnemar.ts';

const ref = loadCompareReference();

describe('McNemar', () => {
  it('matches scipy: binomtest below 25 discordant pairs, chi2.sf of the corrected statistic above', () => {
    for (const c of ref.mcnemar) {
      const r = mcnemarTest(c.b, c.c);
      expect(r.method, `${c.b},${c.c}`).toBe(c.method);
      expect(closeTo(r.statistic, c.statistic, 1e-12, 1e-15)).toBe(true);
      expect(closeTo(r.pValue, c.pValue, 1e-10, 1e-15), `${c.b},${c.c}: ${r.pValue} vs ${c.pValue}`).toBe(true);
    }
  });

  it('is symmetric in b and c', () => {
    expect(mcnemarTest(4, 11).pValue).toBe(mcnemarTest(11, 4).pValue);
    expect(mcnemarTest(40, 11).pValue).toBe(mcnemarTest(11, 40).pValue);
  });
});

describe('Fisher exact (2×2)', () => {
  it('matches scipy.stats.fisher_exact two-sided to 1e-10', () => {
    for (const { table, pValue } of ref.fisher) {
      const [[a, b], [c, d]] = table;
      expect(closeTo(fisherExact2x2(a, b, c, d), pValue, 1e-10, 1e-15), JSON.stringify(table)).toBe(true);
    }
  });
});

describe('chi-square contingency', () => {
  it('matches scipy.stats.chi2_contingency (Yates at df = 1) to 1e-10', () => {
    for (const c of ref.chi2Contingency) {
      const r = chiSquareContingency(c.table);
      expect(r.df).toBe(c.df);
      expect(closeTo(r.statistic, c.statistic, 1e-10, 1e-14), JSON.stringify(c.table)).toBe(true);
      expect(closeTo(r.pValue, c.pValue, 1e-10, 1e-15), JSON.stringify(c.table)).toBe(true);
    }
  });

  it('gives p = 1 for a table with df = 0', () => {
    expect(chiSquareContingency([[5], [7]])).toMatchObject({ statistic: 0, df: 0, pValue: 1 });
  });

  it('chi-square survival function matches scipy.stats.chi2.sf to 1e-11', () => {
    for (const { x, df, value } of ref.chi2Sf) expect(closeTo(chiSquareSf(x, df), value, 1e-11, 1e-300), `sf(${x}, ${df})`).toBe(true);
  });
});
