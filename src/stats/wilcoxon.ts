import { normalSf } from './normal.ts';

interface WilcoxonResult {
  /**
   * `exact`: the exact null distribution (no ties, no zero differences, n ≤ 50);
   * `permutation`: every sign flip enumerated (ties or zeros, n ≤ 13);
   * `normal`: normal approximation with tie correction, no continuity correction.
   */
  method: 'exact' | 'permutation' | 'normal';
  /** min(R+, R−), the two-sided statistic scipy reports. */
  statistic: number;
  pValue: number;
  /** Non-zero differences (the ones ranked). */
  nonZero: number;
  /** z of the normal approximation (null for the exact methods). */
  z: number | null;
  /** Sum of the ranks of the positive differences: above n'(n'+1)/4 means a shift upwards. */
  rPlus: number;
}

/**
 * Two-sided Wilcoxon signed-rank test on paired differences, reproducing
 * `scipy.stats.wilcoxon(d)` of scipy 1.17 with its defaults (zero_method='wilcox',
 * correction=False, method='auto'):
 * - zero differences are dropped before ranking (but still count as n for the method choice);
 * - |d| are ranked with average ranks for ties;
 * - n > 50 → normal approximation: z = (R+ − n'(n'+1)/4) / σ with
 *   σ² = (n'(n'+1)(2n'+1) − Σ(t³ − t)/2) / 24 over the n' non-zero differences;
 * - n ≤ 50 without ties or zeros → exact distribution of R+;
 * - n ≤ 13 with ties or zeros → all 2^n sign flips enumerated (scipy's permutation test, which
 *   is exact at that size); 13 < n ≤ 50 with ties or zeros → normal approximation.
 * The exact and permutation p-value is 2 · min(P(R+ ≤ r), P(R+ ≥ r)), capped at 1.
 * One deliberate difference: when every difference is zero and n > 13, scipy returns NaN (σ = 0);
 * this returns p = 1, since there is nothing to detect. Returns null for an empty sample.
 */
export function wilcoxonSignedRank(differences: ArrayLike<number>): WilcoxonResult | null {
  const n = differences.length;
  if (n === 0) return null;
  let positives = 0;
  let negatives = 0;
  for (let i = 0; i < n; i++) {
    const d = differences[i] as number;
    if (d > 0) positives++;
    else if (d < 0) negatives++;
  }
  const pos = new Float64Array(positives);
  const neg = new Float64Array(negatives);
  for (let i = 0, p = 0, q = 0; i < n; i++) {
    const d = differences[i] as number;
    if (d > 0) pos[p++] = d;
    else if (d < 0) neg[q++] = -d;
  }
  pos.sort();
  neg.sort();
  const nonZero = positives + negatives;
  const zeros = n - nonZero;

  // Merge the two sorted lists to hand out average ranks; tie groups can span both signs.
  const doubledRanks: number[] = [];
  const keepRanks = n <= 50;
  let rPlus = 0;
  let tieCorrection = 0;
  let hasTies = false;
  let rank = 0;
  let i = 0;
  let j = 0;
  while (i < positives || j < negatives) {
    const v = Math.min(i < positives ? (pos[i] as number) : Infinity, j < negatives ? (neg[j] as number) : Infinity);
    let cp = 0;
    let cn = 0;
    while (i < positives && pos[i] === v) {
      i++;
      cp++;
    }
    while (j < negatives && neg[j] === v) {
      j++;
      cn++;
    }
    const t = cp + cn;
    const doubledAverage = 2 * rank + t + 1; // 2 × (rank + (t + 1) / 2)
    rPlus += (cp * doubledAverage) / 2;
    if (t > 1) {
      hasTies = true;
      tieCorrection += t * t * t - t;
    }
    if (keepRanks) for (let k = 0; k < t; k++) doubledRanks.push(doubledAverage);
    rank += t;
  }
  const total = (nonZero * (nonZero + 1)) / 2;
  const statistic = Math.min(rPlus, total - rPlus);

  const exactAllowed = n <= 50 && !hasTies && zeros === 0;
  const permutationAllowed = n <= 13;
  if (exactAllowed || permutationAllowed) {
    const pValue = signFlipPValue(doubledRanks, 2 * rPlus);
    return { method: exactAllowed ? 'exact' : 'permutation', statistic, pValue, nonZero, z: null, rPlus };
  }
  const mean = total / 2;
  const variance = (nonZero * (nonZero + 1) * (2 * nonZero + 1) - tieCorrection / 2) / 24;
  if (!(variance > 0)) return { method: 'normal', statistic, pValue: 1, nonZero, z: null, rPlus };
  const z = (rPlus - mean) / Math.sqrt(variance);
  return { method: 'normal', statistic, pValue: Math.min(1, 2 * normalSf(Math.abs(z))), nonZero, z, rPlus };
}

/**
 * Two-sided p-value of the sum of positive ranks under random signs, by dynamic programming
 * over the (doubled, hence integer) ranks: counts[s] = number of sign assignments whose
 * doubled R+ is s. Counts stay exact in doubles up to n = 50 (≤ 2^50).
 */
function signFlipPValue(doubledRanks: readonly number[], observedDoubled: number): number {
  const max = doubledRanks.reduce((s, r) => s + r, 0);
  let counts = new Float64Array(max + 1);
  counts[0] = 1;
  let reach = 0;
  for (const r of doubledRanks) {
    const next = new Float64Array(max + 1);
    for (let s = 0; s <= reach; s++) {
      const c = counts[s] as number;
      if (c === 0) continue;
      next[s] = (next[s] as number) + c;
      next[s + r] = (next[s + r] as number) + c;
    }
    counts = next;
    reach += r;
  }
  let lower = 0;
  let upper = 0;
  for (let s = 0; s <= max; s++) {
    const c = counts[s] as number;
    if (s <= observedDoubled) lower += c;
    if (s >= observedDoubled) upper += c;
  }
  const all = 2 ** doubledRanks.length;
  return Math.min(1, (2 * Math.min(lower, upper)) / all);
}
