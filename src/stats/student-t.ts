import { incompleteBeta, incompleteBetaComplement } from './incomplete-beta.ts';
import { logBeta } from './log-gamma.ts';
import { normalQuantile } from './normal.ts';

/**
 * Upper tail P(T > t) of Student's t with `df` degrees of freedom (df > 0, not necessarily an
 * integer), through the regularized incomplete beta: P(|T| > |t|) = I_{df/(df+t²)}(df/2, 1/2).
 */
export function studentTSf(t: number, df: number): number {
  assertDf(df);
  if (Number.isNaN(t)) return NaN;
  if (t === Infinity) return 0;
  if (t === -Infinity) return 1;
  const x = df / (df + t * t);
  // For tiny t, x rounds to 1; use the complement form 1 − x = t²/(df + t²) instead.
  const twoSided = x < 0.9 ? incompleteBeta(x, df / 2, 0.5) : incompleteBetaComplement((t * t) / (df + t * t), 0.5, df / 2);
  return t > 0 ? twoSided / 2 : 1 - twoSided / 2;
}

/** Density of Student's t. */
function studentTPdf(t: number, df: number): number {
  assertDf(df);
  return Math.exp(-0.5 * (df + 1) * Math.log1p((t * t) / df) - 0.5 * Math.log(df) - logBeta(df / 2, 0.5));
}

/**
 * The p-quantile of Student's t: the t with P(T ≤ t) = p. Solved by Newton's method on the
 * tail probability from a normal starting point, with a bisection bracket as a safeguard, to
 * about 1e-12 relative accuracy (checked against scipy.stats.t.ppf in the tests). By symmetry
 * only the upper half is solved, on the upper tail, so p close to 1 keeps its precision.
 */
export function studentTQuantile(p: number, df: number): number {
  assertDf(df);
  if (!(p >= 0 && p <= 1)) throw new RangeError(`quantile needs 0 ≤ p ≤ 1, got ${p}`);
  if (p === 0) return -Infinity;
  if (p === 1) return Infinity;
  if (p === 0.5) return 0;
  if (p < 0.5) return -upperQuantile(p, df);
  return upperQuantile(1 - p, df);
}

/** The t > 0 with P(T > t) = tail, for 0 < tail < 0.5. */
function upperQuantile(tail: number, df: number): number {
  let lo = 0;
  let hi = Math.max(1, normalQuantile(1 - tail));
  while (studentTSf(hi, df) > tail) {
    lo = hi;
    hi *= 2;
    if (!Number.isFinite(hi)) return Infinity;
  }
  let t = Math.min(Math.max(normalQuantile(1 - tail), lo), hi);
  for (let i = 0; i < 200; i++) {
    const f = studentTSf(t, df) - tail;
    if (f > 0) lo = t;
    else hi = t;
    // Newton step on the tail: d/dt sf = −pdf.
    let next = t + f / studentTPdf(t, df);
    if (!(next > lo && next < hi)) next = (lo + hi) / 2;
    if (Math.abs(next - t) <= 1e-14 * Math.max(1, Math.abs(t))) return next;
    t = next;
  }
  return t;
}

function assertDf(df: number): void {
  if (!(df > 0)) throw new RangeError(`Student's t needs df > 0, got ${df}`);
}
