import { type BootstrapOptions, symmetricInterval, weightedSum } from './paired-bootstrap.ts';
import { Mulberry32 } from './prng.ts';

/**
 * Percentile cluster bootstrap of the means of paired columns (per-example differences):
 * each resample draws G clusters with replacement (mulberry32 seeded with `seed`, index =
 * ⌊u · G / 2^32⌋, clusters numbered by first appearance), every example of a drawn cluster
 * comes along, and the mean is the ratio Σ w_i x_i / Σ w_i over the examples' multiplicities.
 * Resampling whole clusters keeps the correlation inside a cluster, which a bootstrap of
 * examples ignores (Field & Welsh 2007, "Bootstrapping clustered data", JRSS B 69:369–390).
 *
 * With one example per cluster the draws, the weights and the sums are those of
 * pairedBootstrapMeans, so the intervals are identical bit for bit (a property test checks it).
 */
export function clusterBootstrapMeans(
  columns: readonly Float64Array[],
  clusterOf: ArrayLike<number>,
  options: BootstrapOptions,
): Array<[number, number] | null> {
  const n = columns[0]?.length ?? 0;
  if (n === 0) return columns.map(() => null);
  if (clusterOf.length !== n) throw new RangeError('cluster ids must be as many as the rows');
  for (const column of columns) if (column.length !== n) throw new RangeError('bootstrap columns must have the same length');
  const index = new Map<number, number>();
  const clusterOfRow = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    let c = index.get(clusterOf[i]!);
    if (c === undefined) index.set(clusterOf[i]!, (c = index.size));
    clusterOfRow[i] = c;
  }
  const g = index.size;
  const { resamples, seed } = options;
  const alpha = 1 - (options.confidence ?? 0.95);
  const means = columns.map(() => new Float64Array(resamples));
  const clusterWeights = new Float64Array(g);
  const weights = new Float64Array(n);
  const draws = new Uint32Array(g);
  const rng = new Mulberry32(seed);
  for (let r = 0; r < resamples; r++) {
    rng.fill(draws);
    clusterWeights.fill(0);
    for (let k = 0; k < g; k++) clusterWeights[Math.floor(((draws[k] as number) * g) / 4294967296)]! += 1;
    let total = 0;
    for (let i = 0; i < n; i++) total += weights[i] = clusterWeights[clusterOfRow[i]!]!;
    for (let c = 0; c < columns.length; c++) means[c]![r] = weightedSum(weights, columns[c]!) / total;
  }
  return means.map((m) => symmetricInterval(m.sort(), alpha / 2));
}
