import { normalQuantile } from './normal.ts';

/**
 * Wilson score interval for a binomial proportion (successes out of n) at the given
 * confidence. Unlike the normal ("Wald") interval it stays inside [0, 1] and does not collapse
 * to a point at 0 or n successes, which matters for pass rates near 0 % or 100 % on small
 * evaluation sets. Matches statsmodels' `proportion_confint(method='wilson')`.
 * Returns null when n = 0.
 */
export function wilsonInterval(successes: number, n: number, confidence = 0.95): [number, number] | null {
  if (n === 0) return null;
  if (!(successes >= 0 && successes <= n)) throw new RangeError(`successes must be within 0..${n}, got ${successes}`);
  const z = normalQuantile(1 - (1 - confidence) / 2);
  const z2 = z * z;
  const phat = successes / n;
  const denominator = 1 + z2 / n;
  const centre = (phat + z2 / (2 * n)) / denominator;
  const half = (z / denominator) * Math.sqrt((phat * (1 - phat)) / n + z2 / (4 * n * n));
  // At 0 or n successes the bound is exactly 0 or 1; rounding would leave 1e-17 crumbs.
  const lo = successes === 0 ? 0 : Math.max(0, centre - half);
  const hi = successes === n ? 1 : Math.min(1, centre + half);
  return [lo, hi];
}
