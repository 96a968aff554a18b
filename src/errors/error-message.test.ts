import { describe, expect, it } from 'vitest';
import { errorMessage } from './error-message.ts';

describe('errorMessage', () => {
  it('gives words for anything thrown, never "undefined"', () => {
    expect(errorMessage(new TypeError('bad type'))).toBe('bad type');
    expect(errorMessage(new RangeError())).toBe('RangeError');
    expect(errorMessage('plain string')).toBe('plain string');
    expect(errorMessage(undefined)).toBe('undefined was thrown');
    expect(errorMessage(null)).toBe('null was thrown');
    expect(errorMessage({ message: 'from an object' })).toBe('from an object');
    expect(errorMessage({ code: 'E42', status: 7 })).toBe('{"code":"E42","status":7}');
    expect(errorMessage(42)).toBe('42');
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(errorMessage(cyclic)).toBe('[object Object]');
    expect(errorMessage({ big: 'x'.repeat(1000) })).toHaveLength(501);
  });
});
