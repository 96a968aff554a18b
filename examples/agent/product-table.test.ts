import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LookupError, ProductTable } from './product-table.ts';

const table = ProductTable.load(join(import.meta.dirname, '../data/table.csv'));

describe('ProductTable', () => {
  it('looks up a value by product name (any case) and column, as written in the CSV', () => {
    expect(table.lookup('Ridgeline 2', 'price_usd')).toBe('349.00');
    expect(table.lookup('summit pack 40', 'weight_g')).toBe('1420');
    expect(table.lookup('Trailhead 22', 'warranty_years')).toBe('lifetime');
  });

  it('names what is missing', () => {
    expect(() => table.lookup('Ridgeline 9', 'price_usd')).toThrow(new LookupError('no product named "Ridgeline 9"'));
    expect(() => table.lookup('Ridgeline 2', 'volume')).toThrow(/no column "volume" \(columns: sku, name/);
  });

  it('finds the longest product name mentioned in a text, on word boundaries', () => {
    expect(table.findProductIn('Is the Loft Pad XL wider?')?.name).toBe('Loft Pad XL');
    expect(table.findProductIn('the loft pad, please')?.name).toBe('Loft Pad');
    expect(table.findProductIn('Ridgeline 20 does not exist')).toBeUndefined();
  });

  it('reports the row of a malformed CSV line', () => {
    expect(() => ProductTable.fromCsv('sku,name\nA,"unclosed\nB,ok', 'bad.csv')).toThrow(/^bad\.csv: row \d+: /);
  });
});
