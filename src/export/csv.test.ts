import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../test/helpers/temp-dir.ts';
import { MAX_CELL_CHARS, toCell, toCsv } from './csv.ts';

const dir = tempDir('labbook-csv-');

/** Reads CSV text back with Python's csv module: an independent, spreadsheet-compatible parser. */
function pythonRows(text: string): string[][] {
  const file = join(dir, `p${Math.random().toString(36).slice(2)}.csv`);
  writeFileSync(file, text);
  const out = execFileSync(
    'python3',
    ['-c', 'import csv,json,sys; print(json.dumps(list(csv.reader(open(sys.argv[1], newline="", encoding="utf-8-sig")))))', file],
    { encoding: 'utf8' },
  );
  return JSON.parse(out);
}

describe('toCsv', () => {
  it('neutralises text that starts like a formula, and only text', () => {
    const cells = ['=1+1', '+1', '-5', '@SUM(A1)', '\tTAB', '\rCR', '=HYPERLINK("x")\nsecond line', 'a=b', 'plain'];
    const text = toCsv([['header', '=evil header'], ...cells.map((c) => [c, -5])]);
    const rows = pythonRows(text);
    expect(rows[0]).toEqual(['header', "'=evil header"]);
    expect(rows.slice(1).map((r) => r[0])).toEqual([
      "'=1+1",
      "'+1",
      "'-5",
      "'@SUM(A1)",
      "'\tTAB",
      "'\rCR",
      `'=HYPERLINK("x")\nsecond line`,
      'a=b',
      'plain',
    ]);
    // A negative number is a number: no quote mark, so a spreadsheet can add it up.
    expect(rows.slice(1).every((r) => r[1] === '-5')).toBe(true);
    expect(text).toContain('"\'=1+1",-5\r\n');
  });

  it('keeps commas, quotes, newlines and non-ASCII text intact, with CRLF line ends', () => {
    const tricky = ['a, b', 'say "hi"', 'line 1\nline 2', 'naïve — 日本語 🙂', ' padded '];
    const text = toCsv([tricky]);
    expect(pythonRows(text)).toEqual([tricky]);
    expect(Papa.parse<string[]>(text).data).toEqual([tricky]);
  });

  it('starts with a UTF-8 byte order mark only for Excel', () => {
    expect(toCsv([['é']], { excel: true }).charCodeAt(0)).toBe(0xfeff);
    expect(toCsv([['é']]).charCodeAt(0)).toBe('é'.charCodeAt(0));
    expect(pythonRows(toCsv([['é', 1]], { excel: true }))).toEqual([['é', '1']]);
  });
});

describe('toCell', () => {
  it('keeps numbers and booleans, empties null and non-finite numbers, writes JSON for objects', () => {
    expect([toCell(1.5), toCell(-0), toCell(true), toCell(null), toCell(undefined), toCell(Number.NaN), toCell(Infinity)]).toEqual([
      1.5,
      -0,
      true,
      null,
      null,
      null,
      null,
    ]);
    expect(toCell({ q: 'x', n: [1, 2] })).toBe('{"q":"x","n":[1,2]}');
  });

  it('writes arithmetic noise away and keeps the digits a measurement has', () => {
    expect(toCsv([[toCell((0.7 + 1) / 2), toCell(0.1 + 0.2), toCell(0.123456789012345), toCell(1e-7), toCell(12_345_678_901)]])).toBe(
      '0.85,0.3,0.123456789012345,1e-7,12345678901',
    );
  });

  it('cuts text longer than a spreadsheet cell and says how much was cut', () => {
    const cell = toCell('x'.repeat(100_000)) as string;
    expect(cell.length).toBeLessThanOrEqual(MAX_CELL_CHARS);
    const kept = cell.indexOf(' … [');
    expect(cell.slice(0, kept)).toBe('x'.repeat(kept));
    expect(cell.slice(kept)).toBe(` … [${(100_000 - kept).toLocaleString('en-US')} more characters cut]`);
    expect(toCell('y'.repeat(MAX_CELL_CHARS))).toBe('y'.repeat(MAX_CELL_CHARS));
  });
});
