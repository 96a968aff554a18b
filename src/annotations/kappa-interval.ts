import { normalQuantile } from '../stats/normal.ts';
import { cohenKappa, type Kappa } from './kappa.ts';

/** Cohen's kappa with its large-sample standard error and a normal interval. */
export interface KappaInterval extends Kappa {
  /**
   * null when κ is undefined, fewer than two items were rated, or one rater used a single
   * category: then p_o = p_e, κ is 0 whatever the other rater did, and the delta-method variance
   * collapses to 0 — an interval of [0, 0] would claim a certainty there is none of.
   */
  se: number | null;
  low: number | null;
  high: number | null;
}

/**
 * Cohen's kappa with the large-sample variance of Fleiss, Cohen & Everitt (1969), which holds
 * away from κ = 0 (the simpler Cohen 1960 variance assumes no agreement beyond chance):
 *
 *   var(κ) = [ Σ_i p_ii (1 − (p_i· + p_·i)(1 − κ))² + (1 − κ)² Σ_{i≠j} p_ij (p_·i + p_j·)²
 *              − (κ − p_e (1 − κ))² ] / (n (1 − p_e)²)
 *
 * and κ ± z_{1−α/2}·√var clamped to [−1, 1]. This is statsmodels' `cohens_kappa` (`std_kappa`,
 * `kappa_low`, `kappa_upp`), which the fixture checks. `pairs[i]` is (rater 1, rater 2) for item i.
 */
export function cohenKappaInterval(pairs: ReadonlyArray<readonly [string, string]>, confidence = 0.95): KappaInterval {
  const point = cohenKappa(pairs);
  const n = pairs.length;
  if (point.kappa === null || n < 2) return { ...point, se: null, low: null, high: null };
  const kappa = point.kappa;
  const expected = point.expected!;
  const cells = new Map<string, number>();
  const rows = new Map<string, number>();
  const cols = new Map<string, number>();
  for (const [a, b] of pairs) {
    const key = `${a}\u0000${b}`;
    cells.set(key, (cells.get(key) ?? 0) + 1 / n);
    rows.set(a, (rows.get(a) ?? 0) + 1 / n);
    cols.set(b, (cols.get(b) ?? 0) + 1 / n);
  }
  if (rows.size === 1 || cols.size === 1) return { ...point, se: null, low: null, high: null };
  let diagonal = 0;
  let offDiagonal = 0;
  for (const [key, p] of cells) {
    const [a, b] = key.split('\u0000') as [string, string];
    if (a === b) diagonal += p * (1 - ((rows.get(a) ?? 0) + (cols.get(a) ?? 0)) * (1 - kappa)) ** 2;
    else offDiagonal += p * ((cols.get(a) ?? 0) + (rows.get(b) ?? 0)) ** 2;
  }
  const variance = (diagonal + (1 - kappa) ** 2 * offDiagonal - (kappa - expected * (1 - kappa)) ** 2) / ((1 - expected) ** 2 * n);
  // Rounding can leave a hair below zero when every item agrees.
  const se = Math.sqrt(Math.max(0, variance));
  const spread = normalQuantile(1 - (1 - confidence) / 2) * se;
  return { ...point, se, low: Math.max(-1, kappa - spread), high: Math.min(1, kappa + spread) };
}
