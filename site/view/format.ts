/**
 * Number formatting shared by the build-time pages and the browser scripts, so a value reads
 * the same everywhere. Every function returns '—' for a missing value rather than "NaN".
 */

const DASH = '—';

function missing(value: number | null | undefined): value is null | undefined {
  return value === null || value === undefined || !Number.isFinite(value);
}

// Durations are the CLI's too (`labbook show`), so their formatter lives in src/.
export { formatMs } from '#lib/text/format-ms.ts';

/** Token counts: `812`, `12,400`, `3.4M`. */
export function formatCount(n: number | null | undefined): string {
  if (missing(n)) return DASH;
  if (Math.abs(n) >= 10_000_000) return `${(n / 1_000_000).toFixed(1)}M`;
  return Math.round(n).toLocaleString('en-US');
}

/** US dollars with enough digits to tell small per-call costs apart. */
export function formatCost(usd: number | null | undefined): string {
  if (missing(usd)) return DASH;
  if (usd === 0) return '$0';
  if (Math.abs(usd) >= 100) return `$${usd.toFixed(0)}`;
  if (Math.abs(usd) >= 1) return `$${usd.toFixed(2)}`;
  const text = formatNumber(Number(usd.toPrecision(2)));
  return text.startsWith('-') ? `-$${text.slice(1)}` : `$${text}`;
}

/** A score: pass rates (booleans) as percentages, other numbers with three significant digits. */
export function formatScore(value: number | null | undefined, kind: 'number' | 'boolean'): string {
  if (missing(value)) return DASH;
  if (kind === 'boolean') return `${(value * 100).toFixed(1)}%`;
  return formatNumber(value);
}

/**
 * Three significant digits (two below 0.001), always in decimal notation: readers of a table
 * should not have to decode `3.0e-5`.
 */
export function formatNumber(value: number | null | undefined): string {
  if (missing(value)) return DASH;
  if (value === 0) return '0';
  const abs = Math.abs(value);
  if (abs >= 1000) return Math.round(value).toLocaleString('en-US');
  if (abs >= 0.001) return String(Number(value.toPrecision(3)));
  return plainDecimal(Number(value.toPrecision(2)));
}

/** A small number in decimal notation (`0.000031`), down to 1e-20. */
function plainDecimal(value: number): string {
  const digits = Math.min(20, Math.ceil(-Math.log10(Math.abs(value))) + 1);
  return value.toFixed(digits).replace(/(\.\d*?[1-9])0+$/, '$1');
}

/**
 * A signed difference: `+0.042`, `−3.1 pp`; `magnitude` writes its size in the metric's own
 * unit instead (`+564 ms`, `−$0.0021`).
 */
export function formatDelta(value: number | null | undefined, kind: 'number' | 'boolean', magnitude?: (size: number) => string): string {
  if (missing(value)) return DASH;
  const sign = value > 0 ? '+' : value < 0 ? '−' : '±';
  const size = Math.abs(value);
  const text = magnitude ? magnitude(size) : kind === 'boolean' ? `${(size * 100).toFixed(1)} pp` : formatNumber(size);
  return `${sign}${text}`;
}

/** A confidence interval as `[0.61, 0.74]`. */
export function formatInterval(ci: readonly [number, number] | null | undefined, kind: 'number' | 'boolean'): string {
  if (!ci) return '';
  return `[${formatScore(ci[0], kind)}, ${formatScore(ci[1], kind)}]`;
}

/** `2026-03-04 14:05` in UTC, compact and sortable. */
export function formatDate(iso: string | null | undefined): string {
  if (!iso) return DASH;
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return DASH;
  return `${date.toISOString().slice(0, 10)} ${date.toISOString().slice(11, 16)}`;
}

/** A p-value: `< 0.001` or two significant digits. */
export function formatP(p: number | null | undefined): string {
  if (missing(p)) return DASH;
  if (p < 0.001) return '< 0.001';
  return p.toPrecision(2);
}
