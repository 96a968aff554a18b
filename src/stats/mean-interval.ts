import { studentTQuantile } from './student-t.ts';

/**
 * Two-sided confidence interval for a mean by Student's t: mean ± t_{1−α/2, n−1} · std/√n,
 * with `std` the sample standard deviation. Null when n < 2 (no spread to estimate).
 * Same as scipy.stats.t.interval(confidence, n−1, loc=mean, scale=sem).
 */
export function tMeanInterval(mean: number, std: number, n: number, confidence = 0.95): [number, number] | null {
  if (n < 2) return null;
  const half = studentTQuantile(1 - (1 - confidence) / 2, n - 1) * (std / Math.sqrt(n));
  return [mean - half, mean + half];
}
