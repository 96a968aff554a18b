import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { findBoundsViolation, type ValueLimits } from './value-limits.ts';

/** The bounds, checked the plain recursive way: the oracle the walks are held to. */
function breaks(value: unknown, limits: ValueLimits): boolean {
  let values = 0;
  const visit = (item: unknown, depth: number): boolean => {
    values++;
    if (typeof item === 'string') return item.length > limits.stringLength;
    if (item === null || typeof item !== 'object') return false;
    if (depth > limits.depth) return true;
    if (Array.isArray(item)) return item.length > limits.arrayLength || item.some((child) => visit(child, depth + 1));
    const keys = Object.keys(item);
    if (keys.length > limits.objectKeys) return true;
    return keys.some((key) => key.length > limits.stringLength || visit((item as Record<string, unknown>)[key], depth + 1));
  };
  return visit(value, 1) || values > limits.values;
}

const limits = fc.record({
  depth: fc.integer({ min: 1, max: 6 }),
  stringLength: fc.integer({ min: 0, max: 8 }),
  arrayLength: fc.integer({ min: 0, max: 5 }),
  objectKeys: fc.integer({ min: 0, max: 5 }),
  values: fc.integer({ min: 1, max: 40 }),
  lineBytes: fc.constant(1 << 20),
  fileBytes: fc.constant(1 << 20),
});

describe('findBoundsViolation', () => {
  it('finds a violation exactly when the value breaks a bound, with the path to one that does', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 7 }), limits, (value, bounds) => {
        const violation = findBoundsViolation(value, bounds);
        expect(violation !== undefined).toBe(breaks(value, bounds));
        if (!violation || violation.message.startsWith('more than')) return;
        // The path leads to a value that breaks a bound by itself (or a key that is too long).
        let at: unknown = value;
        for (const key of violation.path) at = (at as Record<string | number, unknown>)[key];
        const depth = violation.path.length + 1;
        const alone = { ...bounds, depth: bounds.depth - depth + 1, values: Infinity };
        expect(breaks(at, alone) || violation.message.startsWith('a key')).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });
});
