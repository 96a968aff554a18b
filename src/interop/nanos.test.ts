import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { hrTimeToMs, longBitsToInteger, msToNanos, nanosToMs } from './nanos.ts';

describe('nanosToMs', () => {
  test.each([
    ['1700000000123456789', 1700000000123.456789],
    ['1544712660000000000', 1544712660000],
    ['999', 0.000999],
    ['0', 0],
    [' 1700000000000000000 ', 1700000000000],
    ['1.5e18', 1.5e12],
    [1544712660000000000, 1544712660000],
  ] as const)('%j', (input, ms) => {
    expect(nanosToMs(input)).toBeCloseTo(ms, 6);
  });

  test.each(['', 'soon', null, undefined, {}, Number.NaN])('%j is not a time', (input) => {
    expect(nanosToMs(input)).toBeUndefined();
  });

  test('a bigint', () => {
    expect(nanosToMs(1_700_000_000_123_456_789n)).toBeCloseTo(1700000000123.456789, 6);
  });

  test('keeps every millisecond digit of a 19-digit string, which Number() alone would round', () => {
    expect(nanosToMs('9007199254740993000')).toBe(9007199254740.993);
  });

  test('a protobufjs Long (two 32-bit halves) gives exactly what its decimal string gives', () => {
    fc.assert(
      fc.property(fc.bigInt(0n, 2n ** 64n - 1n), (nanos) => {
        expect(nanosToMs(halves(nanos, true))).toBe(nanosToMs(nanos.toString()));
        expect(nanosToMs(halves(nanos, false))).toBe(nanosToMs(nanos.toString())); // times are unsigned however marked
      }),
      { numRuns: 2000 },
    );
    expect(nanosToMs(halves(2n ** 64n - 1n, true))).toBe(nanosToMs('18446744073709551615'));
  });
});

describe('longBitsToInteger', () => {
  test('a number when exact, else the decimal digits, signed or not', () => {
    fc.assert(
      fc.property(fc.bigInt(-(2n ** 63n), 2n ** 63n - 1n), (value) => {
        const result = longBitsToInteger(halves(value, false));
        expect(String(result)).toBe(value.toString());
        expect(typeof result).toBe(value >= -(2n ** 53n) + 1n && value <= 2n ** 53n - 1n ? 'number' : 'string');
      }),
    );
    expect(longBitsToInteger(halves(2n ** 64n - 1n, true))).toBe('18446744073709551615');
  });
});

/** A 64-bit integer as protobufjs's Long holds it: two signed 32-bit halves. */
function halves(value: bigint, unsigned: boolean): { low: number; high: number; unsigned: boolean } {
  const bits = BigInt.asUintN(64, value);
  return { low: Number(bits & 0xffffffffn) | 0, high: Number(bits >> 32n) | 0, unsigned };
}

describe('msToNanos', () => {
  test('rounds to the nanosecond and carries', () => {
    expect(msToNanos(1700000000123.5)).toBe('1700000000123500000');
    expect(msToNanos(1700000000123.4567)).toMatch(/^17000000001234567\d\d$/); // the double's own digits
    expect(msToNanos(1.9999999999)).toBe('2000000');
    expect(msToNanos(0.5)).toBe('500000');
    expect(msToNanos(-1)).toBe('0');
  });

  test('round trips with nanosToMs within what a double holds', () => {
    fc.assert(
      fc.property(fc.double({ min: 0, max: 4e12, noNaN: true }), (ms) => {
        const back = nanosToMs(msToNanos(ms))!;
        expect(Math.abs(back - ms)).toBeLessThanOrEqual(Math.max(5e-7, Number.EPSILON * ms * 2));
      }),
    );
  });
});

test('hrTimeToMs reads [seconds, nanoseconds], epoch milliseconds and dates', () => {
  expect(hrTimeToMs([1700000000, 123456789])).toBeCloseTo(1700000000123.456789, 6);
  expect(hrTimeToMs(1700000000123)).toBe(1700000000123);
  expect(hrTimeToMs(new Date(5))).toBe(5);
  expect(hrTimeToMs('soon')).toBeUndefined();
});
