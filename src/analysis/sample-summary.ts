import { percentileSorted, sortedCopy } from '../stats/percentile.ts';

/** A sample summarised the way breakdowns show it; percentiles are numpy's linear ones. */
export interface SampleSummary {
  count: number;
  sum: number;
  /** null for an empty sample, as are the other order statistics. */
  mean: number | null;
  min: number | null;
  p50: number | null;
  p95: number | null;
  max: number | null;
}

export function summarizeSample(values: ArrayLike<number>): SampleSummary {
  const sorted = sortedCopy(values);
  const n = sorted.length;
  let sum = 0;
  for (let i = 0; i < n; i++) sum += sorted[i]!;
  return {
    count: n,
    sum,
    mean: n === 0 ? null : sum / n,
    min: n === 0 ? null : sorted[0]!,
    p50: percentileSorted(sorted, 0.5),
    p95: percentileSorted(sorted, 0.95),
    max: n === 0 ? null : sorted[n - 1]!,
  };
}
