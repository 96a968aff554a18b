import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { cohenKappa } from '../annotations/kappa.ts';
import { closeTo } from './__fixtures__/load-reference.ts';
import { meanBias, pearson, spearman } from './correlation.ts';
import { judgeErrorCorrelation } from './judge-error-correlation.ts';

interface Interval {
  low: number;
  high: number;
}
interface AgreementReference {
  numeric: Array<{
    judge: number[];
    human: number[];
    pearson: { r: number; p: number } & Interval;
    spearman: { r: number; p: number } & Interval;
    bias: { mean: number } & Interval;
  }>;
  labels: Array<{ judge: string[]; human: string[]; kappa: number }>;
  errors: {
    judges: Record<string, number[]>;
    human: number[];
    pairs: Array<{ a: string; b: string; r: number }>;
    meanR: number;
    effectiveJudges: number;
  };
}

// Computed by scripts/reference-stats/make_agreement_reference.py (SciPy).
const reference = JSON.parse(
  readFileSync(new URL('./__fixtures__/scipy-agreement-reference.json', import.meta.url), 'utf8'),
) as AgreementReference;

const near = (actual: number | null, expected: number, rel = 1e-9) => {
  expect(actual).not.toBeNull();
  expect(closeTo(actual!, expected, rel, 1e-12), `${actual} vs SciPy ${expected}`).toBe(true);
};

describe('judge-versus-human statistics against SciPy', () => {
  it.each(reference.numeric.map((c) => [c.judge.length, c] as const))('n = %i: Pearson, Spearman and mean bias', (_n, c) => {
    const p = pearson(c.judge, c.human);
    near(p.r, c.pearson.r);
    near(p.p, c.pearson.p);
    near(p.low, c.pearson.low);
    near(p.high, c.pearson.high);
    const s = spearman(c.judge, c.human);
    near(s.r, c.spearman.r);
    near(s.p, c.spearman.p);
    near(s.low, c.spearman.low);
    near(s.high, c.spearman.high);
    const b = meanBias(c.judge, c.human);
    near(b.mean, c.bias.mean);
    // SciPy's t interval goes through its own ppf and variance path; they agree to ~2e-9.
    near(b.low, c.bias.low, 1e-8);
    near(b.high, c.bias.high, 1e-8);
  });

  it.each(reference.labels.map((c) => [c.judge.length, c] as const))('n = %i: Cohen kappa of judge labels against people', (_n, c) => {
    near(cohenKappa(c.judge.map((j, i) => [j, c.human[i]!] as const)).kappa, c.kappa);
  });
});

describe('several judges', () => {
  it('correlates their errors against the human value as numpy does, and counts the judges they are worth', () => {
    const e = reference.errors;
    const result = judgeErrorCorrelation(new Map(Object.entries(e.judges)), e.human);
    expect(result.pairs.map((p) => `${p.a}/${p.b}`)).toEqual(e.pairs.map((p) => `${p.a}/${p.b}`));
    result.pairs.forEach((p, i) => near(p.correlation.r, e.pairs[i]!.r));
    near(result.meanR, e.meanR);
    near(result.effectiveJudges, e.effectiveJudges);
    // The two judges with a shared blind spot err together; the independent one does not.
    expect(result.pairs.find((p) => p.a === 'claude' && p.b === 'gpt')!.correlation.r!).toBeGreaterThan(0.5);
    expect(result.effectiveJudges!).toBeLessThan(3);
  });
});

describe('edge cases', () => {
  it('is undefined for a constant side or fewer than 3 pairs, and gives no interval below 4', () => {
    expect(pearson([1, 1, 1, 1], [1, 2, 3, 4]).r).toBeNull();
    expect(spearman([1, 2], [2, 1]).r).toBeNull();
    const three = pearson([1, 2, 3], [1, 3, 2]);
    expect(three.r).toBeCloseTo(0.5, 12);
    expect(three.low).toBeNull();
  });
  it('ranks ties by their mean rank', () => {
    // Spearman is Pearson on the ranks: the two tied 10s both rank 1.5.
    expect(spearman([10, 20, 10, 30], [1, 2, 3, 4]).r).toBeCloseTo(pearson([1.5, 3, 1.5, 4], [1, 2, 3, 4]).r!, 12);
  });
  it('refuses samples of different lengths', () => {
    expect(() => pearson([1, 2, 3], [1, 2])).toThrow(/differ in length/);
  });
});
