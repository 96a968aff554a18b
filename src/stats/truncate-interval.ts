/**
 * An interval truncated to the range the parameter can take: `[max(lo, min), min(hi, max)]`.
 * A mean latency cannot be below 0, so the part of a t-interval below 0 holds no possible
 * value; cutting it off keeps every value the interval covered that the parameter could have,
 * hence its coverage (the standard "truncate to the parameter space"). The estimate itself
 * lies in the range, so the result is never empty.
 */
export function truncateInterval(ci: [number, number], range: readonly [number, number]): [number, number] {
  const [min, max] = range;
  return [Math.min(Math.max(ci[0], min), max), Math.max(Math.min(ci[1], max), min)];
}
