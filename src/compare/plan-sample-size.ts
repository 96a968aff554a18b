import { clusteredMean } from '../stats/clustered-mean.ts';
import { moments } from '../stats/moments.ts';
import { pairsNeeded } from '../stats/power.ts';

interface SampleSizePlan {
  /** Examples with a value in the run. */
  n: number;
  /** Standard deviation of the metric's per-example values in the run. */
  sd: number;
  /** From the cluster key, 1 without one. */
  designEffect: number;
  /** sd of a paired difference assumed for the plan: sd · √2 · √deff. */
  sdDifference: number;
  /** Paired examples needed to detect `mde`; null when it cannot be planned (n < 2, no spread). */
  examplesNeeded: number | null;
}

/**
 * How many paired examples a comparison needs to detect a difference of `mde` with the given
 * power in a two-sided test at α, from one run's observed spread: the smallest n with
 * (t_{1−α/2, n−1} + t_{power, n−1}) · sd_d / √n ≤ mde (stats/power.ts), where sd_d = sd · √2 ·
 * √deff assumes the two runs' values are uncorrelated. Real pairs usually correlate (the same
 * hard examples), so this errs on the side of more examples. `clusters`, when given, is the
 * cluster of each value, and the design effect of the run's mean scales the variance.
 */
export function planSampleSize(
  values: Float64Array,
  mde: number,
  options: { alpha: number; power: number; clusters?: Int32Array },
): SampleSizePlan {
  const { std } = moments(values);
  const sd = std ?? 0;
  const clustered = options.clusters ? clusteredMean(values, options.clusters) : null;
  const designEffect = clustered?.designEffect ?? 1;
  const sdDifference = sd * Math.SQRT2 * Math.sqrt(designEffect);
  const examplesNeeded = values.length < 2 || sd === 0 ? null : pairsNeeded(sdDifference, mde, options.alpha, options.power);
  return { n: values.length, sd, designEffect, sdDifference, examplesNeeded };
}
