import type { Distribution } from '../../schemas/metrics.ts';
import { moments } from '../stats/moments.ts';
import { percentileSorted, sortedCopy } from '../stats/percentile.ts';

/**
 * Count, mean, min, max and the p50/p90/p95/p99 percentiles (linear interpolation, numpy's
 * default) of a sample of finite numbers. An empty sample gives nulls, not zeros.
 */
export function summarizeDistribution(values: ArrayLike<number>): Distribution {
  const sorted = sortedCopy(values);
  const n = sorted.length;
  return {
    count: n,
    mean: moments(sorted).mean,
    min: n === 0 ? null : (sorted[0] as number),
    p50: percentileSorted(sorted, 0.5),
    p90: percentileSorted(sorted, 0.9),
    p95: percentileSorted(sorted, 0.95),
    p99: percentileSorted(sorted, 0.99),
    max: n === 0 ? null : (sorted[n - 1] as number),
  };
}
