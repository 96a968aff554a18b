import { studentTQuantile } from './student-t.ts';

export interface ClusteredMean {
  mean: number;
  /**
   * The standard error the intervals and tests use: the cluster-robust one (CR1, see below),
   * floored at `naiveSe`.
   */
  se: number;
  /** The CR1 standard error itself, as statsmodels gives it; below `naiveSe` when clusters disagree within. */
  cr1Se: number;
  /** The standard error that treats every value as independent: s/√n. */
  naiveSe: number;
  /** se² / naiveSe²: how much the clustering inflates the variance of the mean (1 = none, never less). */
  designEffect: number;
  /** Number of distinct clusters G; the interval uses G − 1 degrees of freedom. */
  clusters: number;
  n: number;
}

/**
 * Mean of `values` with a standard error that lets values in the same cluster (questions from
 * one document, turns of one conversation) be correlated: Miller 2024, "Adding Error Bars to
 * Evals" (arXiv 2411.00640), Appendix A, with the finite-cluster correction G/(G − 1). It is
 * the sandwich estimator of an intercept-only regression,
 *   Var = G/(G − 1) · Σ_g (Σ_{i∈g} (x_i − x̄))² / n²,
 * the same as statsmodels OLS with cov_type='cluster' (its (n − 1)/(n − k) factor is 1 for
 * k = 1). With one value per cluster (G = n) it reduces exactly to s²/n, today's SE.
 * `cluster[i]` is any integer naming the cluster of `values[i]`. Null when n < 2 or G < 2.
 *
 * The design effect is floored at 1 (`se` never below `naiveSe`): when values of a cluster
 * disagree (negative within-cluster correlation, or chance with few clusters) CR1 comes out
 * below s²/n, and a clustered interval would claim more precision than independent values
 * give — as Stata's and most survey software's deff floors do, clustering only ever widens.
 */
export function clusteredMean(values: Float64Array, cluster: Int32Array): ClusteredMean | null {
  const n = values.length;
  if (n !== cluster.length) throw new RangeError(`clusteredMean: ${n} values but ${cluster.length} cluster ids`);
  if (n < 2) return null;
  let sum = 0;
  for (const v of values) sum += v;
  const mean = sum / n;
  const residualSums = new Map<number, number>();
  let squares = 0;
  for (let i = 0; i < n; i++) {
    const e = values[i]! - mean;
    squares += e * e;
    residualSums.set(cluster[i]!, (residualSums.get(cluster[i]!) ?? 0) + e);
  }
  const g = residualSums.size;
  if (g < 2) return null;
  let between = 0;
  for (const s of residualSums.values()) between += s * s;
  const variance = (g / (g - 1)) * (between / (n * n));
  const naiveVariance = squares / (n - 1) / n;
  return {
    mean,
    se: Math.sqrt(Math.max(variance, naiveVariance)),
    cr1Se: Math.sqrt(variance),
    naiveSe: Math.sqrt(naiveVariance),
    // Identical values: no variance either way, and no inflation.
    designEffect: naiveVariance > 0 ? Math.max(1, variance / naiveVariance) : 1,
    clusters: g,
    n,
  };
}

/** Two-sided interval mean ± t_{1−α/2, G−1} · se; equals tMeanInterval when every cluster has one value. */
export function clusteredInterval(result: ClusteredMean, confidence = 0.95): [number, number] {
  const half = studentTQuantile(1 - (1 - confidence) / 2, result.clusters - 1) * result.se;
  return [result.mean - half, result.mean + half];
}
