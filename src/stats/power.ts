import { studentTQuantile } from './student-t.ts';

/**
 * The smallest mean paired difference a two-sided test at level α detects with the given
 * power, for n pairs whose differences have standard deviation sd:
 *   MDE = (t_{1−α/2, n−1} + t_{power, n−1}) · sd / √n.
 * This is the usual normal-theory approximation with t quantiles for small samples; it
 * applies to pass rates too (differences of 0/1 outcomes), and ignores the multiple-testing
 * correction, so it is optimistic when many metrics are compared. Null when n < 2.
 */
export function minimumDetectableEffect(sd: number, n: number, alpha = 0.05, power = 0.8): number | null {
  if (n < 2 || !Number.isFinite(sd)) return null;
  const df = n - 1;
  return ((studentTQuantile(1 - alpha / 2, df) + studentTQuantile(power, df)) * sd) / Math.sqrt(n);
}

/**
 * The fewest pairs for which `minimumDetectableEffect` is at most `effect` (searched by
 * doubling then bisection, since the MDE falls as n grows). Null if beyond a billion.
 */
export function pairsNeeded(sd: number, effect: number, alpha = 0.05, power = 0.8): number | null {
  if (!(effect > 0) || !Number.isFinite(sd)) return null;
  if (sd === 0) return 2;
  let n = 2;
  // The MDE decreases monotonically in n: double, then bisect.
  let hi = 2;
  while ((minimumDetectableEffect(sd, hi, alpha, power) as number) > effect) {
    n = hi;
    hi *= 2;
    if (hi > 1e9) return null;
  }
  let lo = n;
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if ((minimumDetectableEffect(sd, mid, alpha, power) as number) > effect) lo = mid;
    else hi = mid;
  }
  return hi;
}
