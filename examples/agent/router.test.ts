import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ProductTable } from './product-table.ts';
import { extractExpression, route } from './router.ts';

const table = ProductTable.load(join(import.meta.dirname, '../data/table.csv'));
const all = ['calculator', 'lookup'] as const;

describe('route', () => {
  it('sends arithmetic to the calculator only when it is enabled', () => {
    expect(route('What is 12 times 7 plus 5?', table, all)).toEqual({ kind: 'calculate', expression: '12 * 7 + 5' });
    expect(route('What is 12 times 7 plus 5?', table, [])).toEqual({ kind: 'retrieve' });
  });

  it('sends product questions with a column cue to the table', () => {
    expect(route('How much does the Loft Pad XL weigh?', table, all)).toEqual({
      kind: 'lookup',
      product: 'Loft Pad XL',
      column: 'weight_g',
    });
    expect(route('What is the SKU of the Pika Stove?', table, all)).toEqual({ kind: 'lookup', product: 'Pika Stove', column: 'sku' });
    expect(route('What is the SKU of the Pika Stove?', table, ['calculator'])).toEqual({ kind: 'retrieve' });
  });

  it('multiplies a looked-up price by a quantity written as digits or words', () => {
    expect(route('How much would three Trailhead 22 cost in total?', table, all)).toEqual({
      kind: 'lookup-calculate',
      product: 'Trailhead 22',
      column: 'price_usd',
      quantity: 3,
    });
    expect(route('How much would 2 Ridgeline 2 cost in total?', table, all)).toMatchObject({ kind: 'lookup-calculate', quantity: 2 });
  });

  it('looks up a recommended product after retrieval when the question names none', () => {
    expect(route('What is the price of the tent staff recommend for Pinecone Meadows?', table, all)).toEqual({
      kind: 'retrieve-lookup',
      column: 'price_usd',
      category: 'tent',
    });
  });

  it('leaves other questions to retrieval', () => {
    expect(route('What fabric is the Skyline UL1 made from?', table, all)).toEqual({ kind: 'retrieve' });
    expect(route('How much does express shipping cost?', table, all)).toEqual({ kind: 'retrieve' });
  });
});

describe('extractExpression', () => {
  it('rewrites words and percentages as operators', () => {
    expect(extractExpression('what is 15% of 360?')).toBe('(15 / 100) * 360');
    expect(extractExpression('what is 418 divided by 11?')).toBe('418 / 11');
    expect(extractExpression('what is 7 squared plus 2?')).toBe('7 ^ 2 + 2');
  });

  it('ignores numbers that are not arithmetic', () => {
    expect(extractExpression('how much does the ridgeline 2 cost?')).toBeUndefined();
    expect(extractExpression('is kt-rl2 in stock?')).toBeUndefined();
    expect(extractExpression('what happened in 2009?')).toBeUndefined();
  });
});
