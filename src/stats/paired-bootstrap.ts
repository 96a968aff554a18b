import { percentileSorted } from './percentile.ts';
import { Mulberry32 } from './prng.ts';

export interface BootstrapOptions {
  resamples: number;
  seed: number;
  confidence?: number;
}

/**
 * Percentile bootstrap intervals for the means of several equally long columns resampled
 * together: each resample draws n row indices with replacement (mulberry32 seeded with
 * `seed`, index = ⌊u · n / 2^32⌋) and takes every column's mean over them. For paired
 * comparisons the columns are per-example differences B − A, so the pairing is kept.
 *
 * A resample is computed as multiplicities w_i (how often row i was drawn) and then
 * Σ w_i x_i / n per column, which reads each column sequentially; resampling all columns
 * together costs one random draw per row per resample instead of one per row and column.
 * The draws depend only on (seed, n, resamples), so a column's interval does not depend on
 * which other columns it was computed with.
 *
 * The interval is [q(α/2), q(1 − α/2)] of the resampled means, quantiles by linear
 * interpolation (numpy's default), as scipy.stats.bootstrap(method='percentile').
 */
export function pairedBootstrapMeans(columns: readonly Float64Array[], options: BootstrapOptions): Array<[number, number] | null> {
  const n = columns[0]?.length ?? 0;
  if (n === 0) return columns.map(() => null);
  for (const column of columns) if (column.length !== n) throw new RangeError('bootstrap columns must have the same length');
  const { resamples, seed } = options;
  const alpha = 1 - (options.confidence ?? 0.95);
  const means = columns.map(() => new Float64Array(resamples));
  const weights = new Float64Array(n);
  const draws = new Uint32Array(n);
  const rng = new Mulberry32(seed);
  for (let r = 0; r < resamples; r++) {
    rng.fill(draws);
    weights.fill(0);
    for (let k = 0; k < n; k++) weights[Math.floor(((draws[k] as number) * n) / 4294967296)]! += 1;
    for (let c = 0; c < columns.length; c++) (means[c] as Float64Array)[r] = weightedSum(weights, columns[c] as Float64Array) / n;
  }
  return means.map((m) => symmetricInterval(m.sort(), alpha / 2));
}

/**
 * The q and 1 − q quantiles of sorted values by linear interpolation (numpy's default). The
 * upper one is interpolated from the top end with the same fraction as the lower one, which
 * is the same number mathematically but makes the interval of negated data exactly the
 * negated interval (so swapping the runs flips the interval bit for bit).
 */
export function symmetricInterval(sorted: Float64Array, q: number): [number, number] {
  const last = sorted.length - 1;
  const h = last * q;
  const lo = Math.floor(h);
  const f = h - lo;
  const lower = percentileSorted(sorted, q) as number;
  const top = sorted[last - lo] as number;
  const below = sorted[Math.max(0, last - lo - 1)] as number;
  return [lower, f === 0 ? top : top - f * (top - below)];
}

/** Σ w_i x_i with four accumulators (independent chains run in parallel on the CPU). */
export function weightedSum(w: Float64Array, x: Float64Array): number {
  const n = x.length;
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let i = 0;
  for (; i + 3 < n; i += 4) {
    s0 += (w[i] as number) * (x[i] as number);
    s1 += (w[i + 1] as number) * (x[i + 1] as number);
    s2 += (w[i + 2] as number) * (x[i + 2] as number);
    s3 += (w[i + 3] as number) * (x[i + 3] as number);
  }
  for (; i < n; i++) s0 += (w[i] as number) * (x[i] as number);
  return s0 + s1 + (s2 + s3);
}
