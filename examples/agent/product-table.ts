import { readFileSync } from 'node:fs';
import Papa from 'papaparse';

export type ProductRow = Record<string, string>;

export class LookupError extends Error {
  override readonly name = 'LookupError';
}

/**
 * The bundled product table (`examples/data/table.csv`): one row per product, looked up by
 * product name and column. Values stay strings, exactly as written in the CSV.
 */
export class ProductTable {
  readonly columns: readonly string[];

  constructor(readonly rows: readonly ProductRow[]) {
    this.columns = rows.length > 0 ? Object.keys(rows[0]!) : [];
  }

  static fromCsv(text: string, file = 'table.csv'): ProductTable {
    const parsed = Papa.parse<ProductRow>(text.trim(), { header: true, skipEmptyLines: true });
    const problem = parsed.errors[0];
    if (problem) throw new LookupError(`${file}: row ${(problem.row ?? 0) + 2}: ${problem.message}`);
    return new ProductTable(parsed.data);
  }

  static load(file: string): ProductTable {
    return ProductTable.fromCsv(readFileSync(file, 'utf8'), file);
  }

  /**
   * Finds the product whose name appears in `text`, preferring the longest name so that
   * "Loft Pad XL" wins over "Loft Pad". Matching ignores case and needs word boundaries.
   */
  findProductIn(text: string): ProductRow | undefined {
    const haystack = ` ${text.toLowerCase().replace(/[^a-z0-9]+/g, ' ')} `;
    let best: ProductRow | undefined;
    let bestLength = 0;
    for (const row of this.rows) {
      const name = (row.name ?? '')
        .toLowerCase()
        .replace(/[^a-z0-9]+/g, ' ')
        .trim();
      if (name.length > bestLength && haystack.includes(` ${name} `)) {
        best = row;
        bestLength = name.length;
      }
    }
    return best;
  }

  /** The value of `column` for the named product; throws LookupError naming what is missing. */
  lookup(productName: string, column: string): string {
    const row = this.rows.find((candidate) => candidate.name?.toLowerCase() === productName.toLowerCase());
    if (!row) throw new LookupError(`no product named "${productName}"`);
    const value = row[column];
    if (value === undefined) throw new LookupError(`no column "${column}" (columns: ${this.columns.join(', ')})`);
    return value;
  }
}
