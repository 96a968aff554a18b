/** Number formats shared by the job summary and the PR comment. */

const integer = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

/** `0.8312` → `83.1%` */
export function percent(value: number): string {
  return `${(value * 100).toFixed(1)}%`;
}

/**
 * Three significant digits, no exponent for everyday sizes: `0.0123`, `12.3`, `1,234`, and a
 * model call's cost, `0.0000311` (as the report and the site write it); below 1e-6, `3.1e-7`.
 */
function number(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  if (value === 0) return '0';
  const abs = Math.abs(value);
  if (abs >= 1000) return integer.format(value);
  if (abs < 1e-6) return value.toExponential(2);
  return String(Number(value.toPrecision(3)));
}

function signed(text: string, value: number): string {
  return value > 0 ? `+${text}` : text;
}

/** A value in a metric's unit. */
export type Unit = 'rate' | 'ms' | 'tokens' | 'usd' | 'plain';

export function inUnit(value: number, unit: Unit): string {
  switch (unit) {
    case 'rate':
      return percent(value);
    case 'ms':
      return `${number(value)} ms`;
    case 'tokens':
      return number(value);
    case 'usd':
      return `$${number(value)}`;
    case 'plain':
      return number(value);
  }
}

/** A difference in a metric's unit; rates differ by percentage points. */
export function deltaInUnit(value: number, unit: Unit): string {
  if (unit === 'rate') return signed(`${(value * 100).toFixed(1)} pp`, value);
  return signed(inUnit(value, unit), value);
}

export function interval(ci: readonly [number, number] | null, unit: Unit, delta = false): string {
  if (!ci) return '';
  const f = (v: number) => (delta ? deltaInUnit(v, unit) : inUnit(v, unit));
  return `[${f(ci[0])}, ${f(ci[1])}]`;
}
