interface Moments {
  n: number;
  mean: number | null;
  /** Sample standard deviation (divisor n − 1); null when n < 2. */
  std: number | null;
}

/**
 * Mean and sample standard deviation in two passes (the second over deviations from the
 * mean), which avoids the cancellation of the one-pass sum-of-squares formula.
 */
export function moments(values: ArrayLike<number>, length = values.length): Moments {
  if (length === 0) return { n: 0, mean: null, std: null };
  let sum = 0;
  for (let i = 0; i < length; i++) sum += values[i] as number;
  const mean = sum / length;
  if (length < 2) return { n: length, mean, std: null };
  let ss = 0;
  for (let i = 0; i < length; i++) {
    const d = (values[i] as number) - mean;
    ss += d * d;
  }
  return { n: length, mean, std: Math.sqrt(ss / (length - 1)) };
}
