import { describe, expect, it } from 'vitest';
import { groupDigits } from './group-digits.ts';

describe('groupDigits', () => {
  it('writes what toLocaleString("en-US") writes', () => {
    const values = [0, -0, 1, 12, 999, 1000, -1000, 12_345, 100_000, 1_234_567, -987_654_321, Number.MAX_SAFE_INTEGER, 1e21, 2.5, -1234.5];
    for (const value of values) expect(groupDigits(value), String(value)).toBe(value.toLocaleString('en-US'));
  });
});
