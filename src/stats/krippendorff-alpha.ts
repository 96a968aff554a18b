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
}

/**
 * α for nominal values (labels): two values disagree when they differ. `units[u]` holds every
 * value given to unit u, one per coder who judged it.
 */
export function nominalAlpha(units: ReadonlyArray<ReadonlyArray<string>>): Alpha {
  const pairable = pairableUnits(units);
  if (pairable.length === 0) return undefinedAlpha(0, 0);
  const totals = new Map<string, number>();
  let n = 0;
  let within = 0;
  for (const values of pairable) {
    const counts = new Map<string, number>();
    for (const value of values) {
      counts.set(value, (counts.get(value) ?? 0) + 1);
      totals.set(value, (totals.get(value) ?? 0) + 1);
    }
    // Ordered pairs of different values within the unit: m² − Σ_c m_c².
    const m = values.length;
    within += (m * m - sumOfSquares(counts.values())) / (m - 1);
    n += m;
  }
  return fromDisagreements(within / n, (n * n - sumOfSquares(totals.values())) / (n * (n - 1)), pairable.length, n);
}

/**
 * α for interval values (scores): disagreement is the squared difference. Sums of squares
 * are taken about each mean, so values far from zero lose no precision.
 */
export function intervalAlpha(units: ReadonlyArray<ReadonlyArray<number>>): Alpha {
  const pairable = pairableUnits(units);
  if (pairable.length === 0) return undefinedAlpha(0, 0);
  let within = 0;
  for (const values of pairable) {
    // Σ over ordered pairs i ≠ j of (x_i − x_j)² is 2m Σ (x_i − x̄)².
    const m = values.length;
    within += (2 * m * squaresAboutMean(values)) / (m - 1);
  }
  const all = pairable.flat();
  const n = all.length;
  return fromDisagreements(within / n, (2 * n * squaresAboutMean(all)) / (n * (n - 1)), pairable.length, n);
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

function fromDisagreements(observed: number, expected: number, units: number, pairable: number): Alpha {
  // Every pairable value the same: chance disagreement is nil and α says nothing.
  if (expected <= 1e-12 * Math.max(1, observed)) return { ...undefinedAlpha(units, pairable), observed, expected };
  return { alpha: 1 - observed / expected, observed, expected, units, pairable };
}

/** The units judged at least twice: only their values can disagree, so only they count. */
function pairableUnits<T>(units: ReadonlyArray<ReadonlyArray<T>>): ReadonlyArray<ReadonlyArray<T>> {
  return units.filter((values) => values.length >= 2);
}

function sumOfSquares(counts: Iterable<number>): number {
  let sum = 0;
  for (const count of counts) sum += count * count;
  return sum;
}

function undefinedAlpha(units: number, pairable: number): Alpha {
  return { alpha: null, observed: null, expected: null, units, pairable };
}

function squaresAboutMean(values: ReadonlyArray<number>): number {
  let sum = 0;
  for (const value of values) sum += value;
  const mean = sum / values.length;
  let squares = 0;
  for (const value of values) squares += (value - mean) ** 2;
  return squares;
}
