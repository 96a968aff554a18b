/**
 * The p-th quantile (0 ≤ p ≤ 1) of an ascending-sorted sample by linear interpolation between
 * the two closest ranks: position h = (n − 1)·p, value = x[⌊h⌋] + (h − ⌊h⌋)·(x[⌊h⌋+1] − x[⌊h⌋]).
 * This is numpy's default (`method='linear'`, Hyndman & Fan type 7). Returns null for an empty
 * sample. The caller sorts once and asks for several quantiles.
 */
export function percentileSorted(sorted: ArrayLike<number>, p: number): number | null {
  const n = sorted.length;
  if (n === 0) return null;
  if (!(p >= 0 && p <= 1)) throw new RangeError(`percentile must be between 0 and 1, got ${p}`);
  const h = (n - 1) * p;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, n - 1);
  const a = sorted[lo] as number;
  const b = sorted[hi] as number;
  return a + (h - lo) * (b - a);
}

/** Sorts a copy numerically (typed-array sort, no comparator allocation per element). */
export function sortedCopy(values: ArrayLike<number>): Float64Array {
  return Float64Array.from(values).sort();
}
