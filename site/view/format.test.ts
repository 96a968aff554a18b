import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatCost, formatNumber } from './format.ts';

describe('numbers as the site shows them', () => {
  it('never uses e-notation', () => {
    expect(formatNumber(3.1e-5)).toBe('0.000031');
    expect(formatNumber(-4.2e-7)).toBe('-0.00000042');
    expect(formatNumber(0.0005)).toBe('0.0005');
    expect(formatNumber(0.8500000000000001)).toBe('0.85');
    expect(formatNumber(1234.5)).toBe('1,235');
    expect(formatCost(0.000031)).toBe('$0.000031');
    expect(formatCost(3.04e-5)).toBe('$0.00003');
    expect(formatCost(-0.0002)).toBe('-$0.0002');
    fc.assert(
      fc.property(
        fc.double({ min: -1e9, max: 1e9, noNaN: true }).filter((x) => x === 0 || Math.abs(x) > 1e-20),
        (x) => {
          expect(formatNumber(x)).not.toMatch(/e/i);
          expect(formatCost(x)).not.toMatch(/e/i);
        },
      ),
    );
  });

  it('keeps two significant digits of tiny values, so neighbouring bounds stay distinct', () => {
    expect(formatNumber(3.0e-5)).not.toBe(formatNumber(3.2e-5));
  });
});
