import { percentileSorted } from './percentile.ts';
import { Mulberry32 } from './prng.ts';

/**
 * Krippendorff's α: how far several coders agree, beyond what chance would give, when any
 * number of them judged each unit and some units were judged by only some (Krippendorff,
 * "Computing Krippendorff's Alpha-Reliability", 2011). α = 1 − D_o / D_e, with D_o the
 * disagreement observed within units and D_e the disagreement expected between any two of
 * the same values paired at random. Only pairable values count: those of units judged at
 * least twice. 1 is perfect agreement, 0 is chance, below 0 is systematic disagreement.
 */
export interface Alpha {
  /** null when undefined: no unit was judged twice, or every pairable value is the same (D_e = 0). */
  alpha: number | null;
  /** D_o, the mean disagreement within units. */
  observed: number | null;
  /** D_e, the disagreement expected by chance. */
  expected: number | null;
  /** Units judged at least twice. */
  units: number;
  /** Values in those units (Krippendorff's n). */
  pairable: number;
  /**
   * A 95% percentile bootstrap interval over units (Zapf et al. 2016): the units are drawn
   * with replacement, `resamples` times, from a fixed seed. null with fewer than
   * `MIN_UNITS_FOR_INTERVAL` units, where it would say more than the data can.
   */
  low: number | null;
  high: number | null;
}

interface AlphaOptions {
  /** Bootstrap resamples for the interval (default 1,000; 0 for no interval). */
  resamples?: number;
  seed?: number;
  confidence?: number;
}

/** Below this many units judged twice, no interval is given. */
export const MIN_UNITS_FOR_INTERVAL = 5;
const DEFAULT_SEED = 20240611;

/**
 * α for nominal values (labels): two values disagree when they differ. `units[u]` holds every
 * value given to unit u, one per coder who judged it.
 */
export function nominalAlpha(units: ReadonlyArray<ReadonlyArray<string>>, options: AlphaOptions = {}): Alpha {
  const pairable = pairableUnits(units);
  const categories = new Map<string, number>();
  for (const values of pairable) for (const value of values) if (!categories.has(value)) categories.set(value, categories.size);
  // Each unit as its size, its disagreeing ordered pairs (m² − Σ_c m_c²) over m − 1, and its
  // value counts in one flat array: a resample only adds them up.
  const k = categories.size;
  const sizes = new Float64Array(pairable.length);
  const within = new Float64Array(pairable.length);
  const counts = new Float64Array(pairable.length * k);
  pairable.forEach((values, u) => {
    for (const value of values) counts[u * k + categories.get(value)!]!++;
    let same = 0;
    for (let c = 0; c < k; c++) same += counts[u * k + c]! ** 2;
    sizes[u] = values.length;
    within[u] = (values.length ** 2 - same) / (values.length - 1);
  });
  const totals = new Float64Array(k);
  const estimate = (pick: (i: number) => number, size: number) => {
    totals.fill(0);
    let n = 0;
    let disagreeing = 0;
    for (let i = 0; i < size; i++) {
      const u = pick(i);
      n += sizes[u]!;
      disagreeing += within[u]!;
      for (let c = 0, at = u * k; c < k; c++, at++) totals[c]! += counts[at]!;
    }
    let same = 0;
    for (let c = 0; c < k; c++) same += totals[c]! * totals[c]!;
    return { observed: disagreeing / n, expected: (n * n - same) / (n * (n - 1)), n };
  };
  return withInterval(pairable.length, estimate, options);
}

/**
 * α for interval values (scores): disagreement is the squared difference. Sums of squares are
 * taken about each unit's mean and about the pairable values' mean, so values far from zero
 * lose no precision.
 */
export function intervalAlpha(units: ReadonlyArray<ReadonlyArray<number>>, options: AlphaOptions = {}): Alpha {
  const pairable = pairableUnits(units);
  const all = pairable.flat();
  const centre = all.length > 0 ? all.reduce((sum, value) => sum + value, 0) / all.length : 0;
  // Each unit as m, Σ over its ordered pairs of (x_i − x_j)² (= 2m Σ (x_i − x̄)²), Σ x and Σ x²
  // (x taken from the centre).
  const m = pairable.map((values) => values.length);
  const pairs = pairable.map((values) => 2 * values.length * squaresAboutMean(values));
  const sums = pairable.map((values) => values.reduce((sum, value) => sum + (value - centre), 0));
  const squares = pairable.map((values) => values.reduce((sum, value) => sum + (value - centre) ** 2, 0));
  const estimate = (pick: (i: number) => number, size: number) => {
    let n = 0;
    let within = 0;
    let sum = 0;
    let sumSquares = 0;
    for (let k = 0; k < size; k++) {
      const u = pick(k);
      n += m[u]!;
      within += pairs[u]! / (m[u]! - 1);
      sum += sums[u]!;
      sumSquares += squares[u]!;
    }
    // Σ over the ordered pairs of all n values of (x_i − x_j)² is 2n Σ (x_i − x̄)².
    return { observed: within / n, expected: (2 * n * Math.max(0, sumSquares - (sum * sum) / n)) / (n * (n - 1)), n };
  };
  return withInterval(pairable.length, estimate, options);
}

/**
 * Krippendorff's reading of α (2004, p. 241): conclusions rest on α ≥ 0.800, tentative ones on
 * α ≥ 0.667, and data below that should not be relied on. A reading aid, not a verdict.
 */
export function alphaWords(alpha: number): 'reliable' | 'tentative' | 'unreliable' {
  if (alpha >= 0.8) return 'reliable';
  if (alpha >= 0.667) return 'tentative';
  return 'unreliable';
}

type Estimate = (pick: (i: number) => number, size: number) => { observed: number; expected: number; n: number };

/** α of all the units, and its interval from resampling them. */
function withInterval(units: number, estimate: Estimate, options: AlphaOptions): Alpha {
  if (units === 0) return { alpha: null, observed: null, expected: null, units: 0, pairable: 0, low: null, high: null };
  const { observed, expected, n } = estimate((i) => i, units);
  const alpha = alphaOf(observed, expected);
  const base = { alpha, observed: alpha === null ? null : observed, expected: alpha === null ? null : expected, units, pairable: n };
  const resamples = options.resamples ?? 1000;
  if (alpha === null || units < MIN_UNITS_FOR_INTERVAL || resamples === 0) return { ...base, low: null, high: null };
  const random = new Mulberry32(options.seed ?? DEFAULT_SEED);
  const draws: number[] = [];
  for (let r = 0; r < resamples; r++) {
    const resampled = estimate(() => random.nextIndex(units), units);
    const value = alphaOf(resampled.observed, resampled.expected);
    // A resample whose values are all the same has no α: it says nothing of the spread.
    if (value !== null) draws.push(value);
  }
  const sorted = Float64Array.from(draws).sort();
  const tail = (1 - (options.confidence ?? 0.95)) / 2;
  return { ...base, low: percentileSorted(sorted, tail), high: percentileSorted(sorted, 1 - tail) };
}

function alphaOf(observed: number, expected: number): number | null {
  // Every pairable value the same: chance disagreement is nil and α says nothing.
  return expected <= 1e-12 * Math.max(1, observed) ? null : 1 - observed / expected;
}

/** The units judged at least twice: only their values can disagree, so only they count. */
function pairableUnits<T>(units: ReadonlyArray<ReadonlyArray<T>>): ReadonlyArray<ReadonlyArray<T>> {
  return units.filter((values) => values.length >= 2);
}

function squaresAboutMean(values: ReadonlyArray<number>): number {
  let sum = 0;
  for (const value of values) sum += value;
  const mean = sum / values.length;
  let squares = 0;
  for (const value of values) squares += (value - mean) ** 2;
  return squares;
}
