import { describe, expect, it } from 'vitest';
import { formatNumber, formatTable } from './format-table.ts';

describe('formatNumber', () => {
  it('groups integers, keeps three decimals below one, and writes absurd magnitudes in exponent form', () => {
    expect([formatNumber(12400), formatNumber(0.01456), formatNumber(3.14159), formatNumber(null)]).toEqual([
      '12,400',
      '0.015',
      '3.14',
      '—',
    ]);
    expect(formatNumber(1e308)).toBe('1.00e+308');
    expect(formatNumber(-2.5e18)).toBe('-2.50e+18');
    expect(formatNumber(999_999_999_999_999)).toBe('999,999,999,999,999');
  });
});

describe('formatTable', () => {
  it('stops the last column’s rule at 40 characters, however long its cells', () => {
    const table = formatTable(
      [{ k: 'status', v: 'x'.repeat(300) }],
      [
        { header: 'field', value: (r) => r.k },
        { header: 'value', value: (r) => r.v },
      ],
    );
    const rule = table.split('\n')[1]!;
    expect(rule).toBe(`${'─'.repeat(6)}  ${'─'.repeat(40)}`);
  });
});
