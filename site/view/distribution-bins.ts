import type { ScoreColumn } from './run-rows.ts';

export interface Bin {
  start: number;
  end: number;
  count: number;
}

export type ScoreDistribution =
  | { kind: 'number'; bins: Bin[]; missing: number }
  | { kind: 'boolean'; pass: number; fail: number; missing: number }
  | { kind: 'label'; counts: { label: string; count: number }[]; missing: number };

/** Labels beyond this many are folded into "(other)" so a free-text score stays one chart. */
export const MAX_LABELS = 12;

/** The distribution of one score column, ready for a chart. */
export function scoreDistribution(column: ScoreColumn): ScoreDistribution {
  let missing = 0;
  if (column.kind === 'label') {
    const counts = new Map<string, number>();
    for (const v of column.values) {
      if (typeof v === 'string') counts.set(v, (counts.get(v) ?? 0) + 1);
      else missing++;
    }
    const sorted = [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
    const top = sorted.slice(0, MAX_LABELS).map(([label, count]) => ({ label, count }));
    const rest = sorted.slice(MAX_LABELS).reduce((sum, [, count]) => sum + count, 0);
    if (rest > 0) top.push({ label: '(other)', count: rest });
    return { kind: 'label', counts: top, missing };
  }
  const numbers: number[] = [];
  for (const v of column.values) {
    if (typeof v === 'number') numbers.push(v);
    else missing++;
  }
  if (column.kind === 'boolean') {
    const pass = numbers.filter((v) => v === 1).length;
    return { kind: 'boolean', pass, fail: numbers.length - pass, missing };
  }
  return { kind: 'number', bins: histogram(numbers), missing };
}

/**
 * Equal-width bins with a "nice" width (1, 2 or 5 × 10^k) aligned to multiples of the width,
 * about `maxBins` of them, the last closed on the right. Scores in [0, 1] get ten bins of 0.1, the usual reading.
 */
export function histogram(values: readonly number[], maxBins = 20): Bin[] {
  if (values.length === 0) return [];
  let min = Infinity;
  let max = -Infinity;
  for (const v of values) {
    if (v < min) min = v;
    if (v > max) max = v;
  }
  if (min === max) return [{ start: min - 0.5, end: max + 0.5, count: values.length }];
  let width: number;
  let start: number;
  if (min >= 0 && max <= 1) {
    width = 0.1;
    start = 0;
    maxBins = 10;
  } else {
    width = niceStep((max - min) / maxBins);
    start = Math.floor(min / width) * width;
  }
  // The last bin is closed on the right, so a maximum on a boundary (a score of 1) joins it.
  const n = Math.min(maxBins + 1, Math.max(1, Math.ceil((max - start) / width - 1e-9)));
  const bins: Bin[] = Array.from({ length: n }, (_, i) => ({
    start: round(start + i * width),
    end: round(start + (i + 1) * width),
    count: 0,
  }));
  for (const v of values) {
    const i = Math.min(n - 1, Math.max(0, Math.floor((v - start) / width + 1e-9)));
    bins[i]!.count++;
  }
  return bins;
}

function niceStep(raw: number): number {
  const exponent = Math.floor(Math.log10(raw));
  const base = 10 ** exponent;
  const fraction = raw / base;
  return (fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 5 ? 5 : 10) * base;
}

function round(x: number): number {
  return Number(x.toPrecision(12));
}
