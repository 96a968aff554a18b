import Papa from 'papaparse';
import { groupDigits } from '../text/group-digits.ts';

/**
 * Cells that a spreadsheet would run as a formula start with one of these (OWASP, "CSV
 * Injection"): `=`, `+`, `-`, `@`, tab and carriage return. papaparse's own default pattern
 * (`/^[=+\-@\t\r].*$/`) misses a multi-line cell such as `=CMD()\nx`, because `.` stops at a
 * newline, so the pattern here tests the first character only.
 */
export const FORMULA_START = /^[=+\-@\t\r]/;

/** Excel's limit on the characters of one cell; longer text would spill or be refused. */
export const MAX_CELL_CHARS = 32_767;

/** What a CSV cell can hold once converted: a number stays a number, text stays text. */
export type CsvCell = string | number | boolean | null;

export interface CsvOptions {
  /** Start with a UTF-8 byte order mark, so Excel reads accents and emoji as UTF-8. */
  excel?: boolean;
}

export const UTF8_BOM = '\uFEFF';

/**
 * Turns any value into a cell: `null`/`undefined` and non-finite numbers become empty cells,
 * numbers and booleans stay as they are, objects and arrays become JSON, and text longer than
 * a spreadsheet cell holds is cut with a note of how much was left out.
 *
 * Fractions are written with 15 significant digits, the most a double always carries through
 * decimal text and back: arithmetic noise such as `0.8500000000000001` (a mean of scores that
 * are exact to two digits) is written `0.85`, while every digit a measurement carries is kept.
 */
export function toCell(value: unknown): CsvCell {
  if (value === null || value === undefined) return null;
  if (typeof value === 'number') return Number.isFinite(value) ? (Number.isInteger(value) ? value : Number(value.toPrecision(15))) : null;
  if (typeof value === 'boolean') return value;
  const text = typeof value === 'string' ? value : (JSON.stringify(value) ?? String(value));
  if (text.length <= MAX_CELL_CHARS) return text;
  const keep = MAX_CELL_CHARS - 64; // room for the note, which is under 64 characters
  return `${text.slice(0, keep)} … [${groupDigits(text.length - keep)} more characters cut]`;
}

/**
 * Serialises rows (the first row is usually the header) to CSV text with CRLF line ends and
 * every text cell that starts like a formula neutralised with a leading `'`.
 *
 * Only text is neutralised. A number cell is written by JavaScript as digits, `.`, `e` and
 * a sign (`-0.25`, `-1e-7`): a spreadsheet parses that as the number it is, not as a formula,
 * and prefixing it would turn a number into text and break sums. Text that merely looks like
 * a negative number (a model answering "-5") is still text and is neutralised; a spreadsheet
 * shows it as `-5` either way, since the leading `'` only marks a cell as text.
 *
 * Pure and free of Node APIs: the site calls it in the browser.
 */
export function toCsv(rows: readonly (readonly CsvCell[])[], options: CsvOptions = {}): string {
  const text = unparse(rows);
  return options.excel ? UTF8_BOM + text : text;
}

/** Rows to CSV without a BOM or trailing newline, for writing a file in chunks. */
export function unparse(rows: readonly (readonly CsvCell[])[]): string {
  return Papa.unparse(rows as CsvCell[][], { escapeFormulae: FORMULA_START, newline: '\r\n', header: false });
}
