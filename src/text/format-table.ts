import { clipToWidth, displayWidth, padToWidth } from './display-width.ts';
import { groupDigits } from './group-digits.ts';

type Align = 'left' | 'right';

export interface Column<Row> {
  header: string;
  value: (row: Row) => string;
  align?: Align;
  /** Longer cells are cut with an ellipsis. */
  maxWidth?: number;
}

/** A plain-text table a person can read in a terminal: padded columns, a rule under the header. */
export function formatTable<Row>(rows: readonly Row[], columns: readonly Column<Row>[]): string {
  const cells = rows.map((row) => columns.map((column) => clip(oneLine(column.value(row)), column.maxWidth)));
  // Widths in terminal columns, not characters: a name in Japanese or with an emoji lines up too.
  const widths = columns.map((column, i) => Math.max(displayWidth(column.header), ...cells.map((r) => displayWidth(r[i]!))));
  const render = (values: string[]) =>
    values
      .map((value, i) => padToWidth(value, widths[i]!, columns[i]!.align ?? 'left'))
      .join('  ')
      .trimEnd();
  // The last column's long cells run on to the right; its rule stops where a terminal would wrap.
  const rule = widths.map((w, i) => '─'.repeat(i === widths.length - 1 ? Math.min(w, Math.max(columns[i]!.header.length, 40)) : w));
  return [render(columns.map((c) => c.header)), render(rule), ...cells.map(render)].join('\n');
}

function oneLine(text: string): string {
  return text.replace(/[\r\n\t]+/g, ' ');
}

function clip(text: string, max?: number): string {
  return max ? clipToWidth(text, max) : text;
}

/** A number for a table: up to 3 significant decimals, no trailing zeros, `—` for none. */
export function formatNumber(value: number | null | undefined, digits = 3): string {
  if (value === null || value === undefined || Number.isNaN(value)) return '—';
  // Beyond a quadrillion a grouped figure is a wall of digits (a duration of 1e308 ms was 400).
  if (Math.abs(value) >= 1e15) return value.toExponential(2);
  if (Number.isInteger(value)) return groupDigits(value);
  const abs = Math.abs(value);
  if (abs >= 1000) return groupDigits(Math.round(value));
  return Number(value.toFixed(abs >= 1 ? 2 : digits)).toString();
}
