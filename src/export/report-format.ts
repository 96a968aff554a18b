import { formatPercent } from '../text/format-percent.ts';
import { groupDigits } from '../text/group-digits.ts';

/**
 * How numbers read in the PDF report: pass rates as percentages, other values with three
 * significant decimals, thousands separated, signs on differences, an en dash for none.
 * One place, so the table, the charts' captions and the tests agree.
 */
export const NONE = '–';

export function formatValue(value: number | null | undefined, kind: 'boolean' | 'number' | 'label'): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return NONE;
  return kind === 'boolean' ? formatPercent(value) : formatNumber(value);
}

export function formatDelta(value: number | null | undefined, kind: 'boolean' | 'number' | 'label'): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return NONE;
  const sign = Math.abs(value) < 1e-12 ? '±' : value > 0 ? '+' : '−';
  const magnitude = formatValue(Math.abs(value), kind);
  return kind === 'boolean' ? `${sign}${magnitude.replace('%', ' pp')}` : `${sign}${magnitude}`;
}

export function formatInterval(
  ci: readonly [number, number] | null | undefined,
  kind: 'boolean' | 'number' | 'label',
  signed = false,
): string {
  if (!ci) return '';
  const f = signed ? (v: number) => formatDelta(v, kind).replace(' pp', '') : (v: number) => formatValue(v, kind);
  return `[${f(ci[0])}, ${f(ci[1])}]`;
}

/**
 * Readable precision: whole numbers with separators from 1,000, one decimal from 100, two from
 * 10, three from 1, three significant digits below 1 (0.452, 0.00133 for a cost per call) and
 * scientific notation under 1e-6. Below 1e-12 in magnitude is floating-point residue (the mean
 * difference of identical samples) and reads as 0.
 */
export function formatNumber(value: number): string {
  const abs = Math.abs(value);
  if (abs < 1e-12) return '0';
  if (abs >= 1000) return groupDigits(Math.round(value));
  if (abs < 1e-6) return value.toExponential(2);
  if (abs < 1) return String(Number(value.toPrecision(3)));
  const digits = abs >= 100 ? 1 : abs >= 10 ? 2 : 3;
  return Number(value.toFixed(digits)).toLocaleString('en-US', { maximumFractionDigits: digits });
}

/** A p-value: "< 0.001" below that, three decimals otherwise. */
export function formatP(p: number | null | undefined): string {
  if (p === null || p === undefined || !Number.isFinite(p)) return NONE;
  return p < 0.001 ? '< 0.001' : p.toFixed(3);
}

/** Text of any value, cut to `max` characters with an ellipsis. */
export function clipText(value: unknown, max: number): string {
  const text = value === undefined ? '' : typeof value === 'string' ? value : readableJson(value);
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** Compact JSON when it fits on a line, indented when it is long enough to need lines. */
function readableJson(value: unknown): string {
  const compact = JSON.stringify(value) ?? String(value);
  return compact.length <= 100 ? compact : (JSON.stringify(value, null, 1) ?? compact);
}
