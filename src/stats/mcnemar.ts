import { chiSquareSf } from './incomplete-gamma.ts';

interface McNemarResult {
  /** `exact`: two-sided binomial test on the discordant pairs; `chi2-cc`: chi-square with continuity correction. */
  method: 'exact' | 'chi2-cc';
  /** For `exact`, min(b, c); for `chi2-cc`, (|b − c| − 1)² / (b + c). */
  statistic: number;
  pValue: number;
  /** Pairs that passed in A and failed in B (b) and the reverse (c). */
  b: number;
  c: number;
}

/** Below this many discordant pairs the exact binomial test is used. */
const MCNEMAR_EXACT_BELOW = 25;

/**
 * McNemar's test for paired pass/fail outcomes. Only discordant pairs carry information:
 * under no difference, b ~ Binomial(b + c, ½). With fewer than 25 discordant pairs the exact
 * two-sided binomial p-value is used (2 · P(X ≤ min(b, c)), capped at 1 — what
 * `scipy.stats.binomtest(b, b + c).pvalue` gives for p = ½); from 25 on, the chi-square
 * statistic with Edwards' continuity correction, 1 degree of freedom (statsmodels'
 * `mcnemar(exact=False, correction=True)`). No discordant pairs gives p = 1.
 */
export function mcnemarTest(b: number, c: number): McNemarResult {
  const n = b + c;
  if (n === 0) return { method: 'exact', statistic: 0, pValue: 1, b, c };
  if (n < MCNEMAR_EXACT_BELOW) {
    const k = Math.min(b, c);
    // Exact integer binomial coefficients: C(24, 12) is far below 2^53.
    let coefficient = 1;
    let tail = 0;
    for (let i = 0; i <= k; i++) {
      tail += coefficient;
      coefficient = (coefficient * (n - i)) / (i + 1);
    }
    return { method: 'exact', statistic: k, pValue: Math.min(1, (2 * tail) / 2 ** n), b, c };
  }
  const statistic = (Math.abs(b - c) - 1) ** 2 / n;
  return { method: 'chi2-cc', statistic, pValue: chiSquareSf(statistic, 1), b, c };
}
