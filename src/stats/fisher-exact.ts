import { logGamma } from './log-gamma.ts';

/**
 * Two-sided Fisher exact test for a 2×2 table [[a, b], [c, d]]: the probability, with all
 * margins fixed (hypergeometric), of a table at most as likely as the one observed. Tables
 * whose probability equals the observed one within a relative 1e-7 count as "as likely"
 * (R's tolerance; scipy.stats.fisher_exact uses 1e-14, the same for every table whose
 * probabilities are not within 1e-7 of each other, i.e. in practice always).
 */
export function fisherExact2x2(a: number, b: number, c: number, d: number): number {
  const row1 = a + b;
  const col1 = a + c;
  const n = a + b + c + d;
  if (n === 0) return 1;
  const lo = Math.max(0, col1 - (c + d));
  const hi = Math.min(row1, col1);
  const logP = (x: number) => logChoose(row1, x) + logChoose(n - row1, col1 - x) - logChoose(n, col1);
  const observed = logP(a);
  const threshold = observed + Math.log1p(1e-7);
  let p = 0;
  for (let x = lo; x <= hi; x++) {
    const lp = logP(x);
    if (lp <= threshold) p += Math.exp(lp);
  }
  return Math.min(1, p);
}

function logChoose(n: number, k: number): number {
  return logGamma(n + 1) - logGamma(k + 1) - logGamma(n - k + 1);
}
