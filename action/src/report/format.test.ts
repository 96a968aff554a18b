import { describe, expect, it } from 'vitest';
import { inUnit } from './format.ts';

describe('numbers in the job summary and the PR comment', () => {
  it('write a model call’s cost in decimals, as the report and the site do, and keep exponents for the truly tiny', () => {
    expect(inUnit(0.0000311, 'usd')).toBe('$0.0000311');
    expect(inUnit(0.00137, 'plain')).toBe('0.00137');
    expect(inUnit(1234.5, 'plain')).toBe('1,235');
    expect(inUnit(3.1e-7, 'plain')).toBe('3.10e-7');
  });
});
