import { wilsonInterval } from './wilson.ts';

/**
 * The interval of a mean of values declared in [lo, hi]: Wilson's score interval on the values
 * rescaled to [0, 1], mapped back. Among distributions on [0, 1] with mean p the Bernoulli has
 * the largest variance, p(1 − p), so Wilson's interval (which assumes that variance) is never
 * narrower than the data warrant, and it stays inside [lo, hi] at any n — where Student t at
 * n = 2 spans [−3.95, 4.95] for a metric in [0, 1]. For 0/1 values it is Wilson's own interval.
 */
export function boundedMeanInterval(values: ArrayLike<number>, bounds: [number, number], confidence: number): [number, number] | null {
  const [lo, hi] = bounds;
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += (Math.min(hi, Math.max(lo, values[i]!)) - lo) / (hi - lo);
  const ci = wilsonInterval(Math.min(sum, values.length), values.length, confidence);
  return ci ? [lo + ci[0] * (hi - lo), lo + ci[1] * (hi - lo)] : null;
}
