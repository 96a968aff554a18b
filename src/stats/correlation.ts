import { normalQuantile } from './normal.ts';
import { studentTQuantile, studentTSf } from './student-t.ts';

/** A correlation with its two-sided p-value and confidence interval. */
export interface Correlation {
  /** null when undefined: fewer than 3 pairs, or one side is constant. */
  r: number | null;
  /** Two-sided p-value of r = 0 from t = r·√((n−2)/(1−r²)) with n − 2 df (as SciPy's pearsonr/spearmanr). */
  p: number | null;
  /** Fisher z interval; null below 4 pairs, where its standard error is undefined. */
  low: number | null;
  high: number | null;
  n: number;
}

/** Mean of judge − human with a Student t interval: how far, and which way, the judge leans. */
export interface MeanBias {
  mean: number | null;
  low: number | null;
  high: number | null;
  n: number;
}

/**
 * Pearson's r. The interval is Fisher's: atanh(r) ± z_{1−α/2}/√(n−3), mapped back with tanh —
 * the method SciPy's `pearsonr(...).confidence_interval()` uses.
 */
export function pearson(x: ReadonlyArray<number>, y: ReadonlyArray<number>, confidence = 0.95): Correlation {
  const n = pairedLength(x, y);
  const r = rawPearson(x, y);
  return withInference(r, n, confidence, 1 / Math.sqrt(n - 3));
}

/**
 * Spearman's ρ: Pearson's r on average ranks (ties share their mean rank). The interval is
 * Fisher's with the Bonett–Wright (2000) standard error √((1 + ρ²/2)/(n − 3)), which holds its
 * coverage for rank correlations where the plain 1/√(n − 3) is too narrow.
 */
export function spearman(x: ReadonlyArray<number>, y: ReadonlyArray<number>, confidence = 0.95): Correlation {
  const n = pairedLength(x, y);
  const r = rawPearson(averageRanks(x), averageRanks(y));
  return withInference(r, n, confidence, r === null ? NaN : Math.sqrt((1 + (r * r) / 2) / (n - 3)));
}

/** Mean of judge[i] − human[i], with a t interval on n − 1 df. */
export function meanBias(judge: ReadonlyArray<number>, human: ReadonlyArray<number>, confidence = 0.95): MeanBias {
  const n = pairedLength(judge, human);
  if (n === 0) return { mean: null, low: null, high: null, n };
  let total = 0;
  for (let i = 0; i < n; i++) total += judge[i]! - human[i]!;
  const mean = total / n;
  if (n < 2) return { mean, low: null, high: null, n };
  let squares = 0;
  for (let i = 0; i < n; i++) squares += (judge[i]! - human[i]! - mean) ** 2;
  const halfWidth = studentTQuantile(1 - (1 - confidence) / 2, n - 1) * Math.sqrt(squares / (n - 1) / n);
  return { mean, low: mean - halfWidth, high: mean + halfWidth, n };
}

/** Ranks 1..n, ties given the mean of the ranks they span. */
function averageRanks(values: ReadonlyArray<number>): number[] {
  const order = values.map((value, index) => ({ value, index })).sort((a, b) => a.value - b.value);
  const ranks = new Array<number>(values.length);
  for (let start = 0; start < order.length;) {
    let end = start;
    while (end + 1 < order.length && order[end + 1]!.value === order[start]!.value) end++;
    const rank = (start + end) / 2 + 1;
    for (let k = start; k <= end; k++) ranks[order[k]!.index] = rank;
    start = end + 1;
  }
  return ranks;
}

function withInference(r: number | null, n: number, confidence: number, standardError: number): Correlation {
  if (r === null) return { r: null, p: null, low: null, high: null, n };
  const p = Math.abs(r) >= 1 ? 0 : 2 * studentTSf(Math.abs(r) * Math.sqrt((n - 2) / (1 - r * r)), n - 2);
  if (n < 4 || Math.abs(r) >= 1) return { r, p, low: n < 4 ? null : r, high: n < 4 ? null : r, n };
  const z = Math.atanh(r);
  const spread = normalQuantile(1 - (1 - confidence) / 2) * standardError;
  return { r, p, low: Math.tanh(z - spread), high: Math.tanh(z + spread), n };
}

function rawPearson(x: ReadonlyArray<number>, y: ReadonlyArray<number>): number | null {
  const n = pairedLength(x, y);
  if (n < 3) return null;
  let meanX = 0;
  let meanY = 0;
  for (let i = 0; i < n; i++) {
    meanX += x[i]!;
    meanY += y[i]!;
  }
  meanX /= n;
  meanY /= n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    const dx = x[i]! - meanX;
    const dy = y[i]! - meanY;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  if (sxx === 0 || syy === 0) return null;
  // Rounding can push |r| a hair past 1 for perfectly collinear data.
  return Math.max(-1, Math.min(1, sxy / Math.sqrt(sxx * syy)));
}

function pairedLength(x: ReadonlyArray<number>, y: ReadonlyArray<number>): number {
  if (x.length !== y.length) throw new RangeError(`paired samples differ in length: ${x.length} and ${y.length}`);
  return x.length;
}
