import { describe, expect, it } from 'vitest';
import { traceSchema } from '../../schemas/trace.ts';
import { findBoundsViolation, formatFieldPath, VALUE_LIMITS } from '../../schemas/value-limits.ts';
import { DEEP_SLOTS, nested, traceDeepAt, WIDE } from './corpus.ts';

describe('findBoundsViolation', () => {
  it('takes a value exactly at every limit and refuses one past it, naming the path', () => {
    expect(findBoundsViolation(nested(VALUE_LIMITS.depth))).toBeUndefined();
    const deep = findBoundsViolation(nested(VALUE_LIMITS.depth + 1));
    expect(deep?.message).toBe(`nested deeper than ${VALUE_LIMITS.depth} levels`);
    expect(deep?.path).toHaveLength(VALUE_LIMITS.depth);
    expect(formatFieldPath(deep!.path)).toMatch(/^k\.k\.k\.k\.k\.k\.…\(116 more\)…\.k\.k\.k\.k\.k\.k$/);

    expect(findBoundsViolation({ a: WIDE.array(VALUE_LIMITS.arrayLength) })).toBeUndefined();
    expect(findBoundsViolation({ a: WIDE.array(VALUE_LIMITS.arrayLength + 1) })).toEqual({
      path: ['a'],
      message: expect.stringMatching(/array of 1000001 items/),
    });
    expect(findBoundsViolation([WIDE.object(VALUE_LIMITS.objectKeys)])).toBeUndefined();
    expect(findBoundsViolation([WIDE.object(VALUE_LIMITS.objectKeys + 1)])).toEqual({
      path: [0],
      message: expect.stringMatching(/100001 keys/),
    });
    expect(findBoundsViolation({ s: WIDE.string(VALUE_LIMITS.stringLength) })).toBeUndefined();
    expect(findBoundsViolation({ s: WIDE.string(VALUE_LIMITS.stringLength + 1) })?.path).toEqual(['s']);
  });

  it('walks a million levels without recursion, and a cycle without hanging', () => {
    let value: unknown = 0;
    for (let i = 0; i < 1_000_000; i++) value = [value];
    expect(findBoundsViolation(value)?.message).toMatch(/nested deeper/);
    const cycle: Record<string, unknown> = {};
    cycle.self = cycle;
    expect(findBoundsViolation(cycle)?.message).toMatch(/nested deeper/);
  });

  it('is what the trace schema applies, in every field a reader walks', () => {
    for (const slot of Object.keys(DEEP_SLOTS)) {
      expect(traceSchema.safeParse(traceDeepAt(1, slot, VALUE_LIMITS.depth)).success, slot).toBe(true);
      const refused = traceSchema.safeParse(traceDeepAt(1, slot, VALUE_LIMITS.depth + 1));
      expect(refused.success, slot).toBe(false);
      const issue = refused.error!.issues[0]!;
      expect(issue.message, slot).toMatch(/nested deeper than 128 levels/);
      expect(String(issue.path[0]), slot).toMatch(new RegExp(`^${String(DEEP_SLOTS[slot]![0])}`));
    }
  });

  it('refuses trace ids with TAB, CR, other controls or bidi overrides, as annotations do', () => {
    for (const id of ['a\tb', 'a\rb', 'a\nb', 'a\u0000b', 'a\u202Eb', 'a\u2028b']) {
      const result = traceSchema.safeParse({ ...traceDeepAt(1, 'input', 2), id });
      expect(result.success, JSON.stringify(id)).toBe(false);
      expect(result.error!.issues[0]).toMatchObject({ path: ['id'], message: expect.stringMatching(/control or bidirectional-override/) });
    }
    expect(traceSchema.safeParse({ ...traceDeepAt(1, 'input', 2), id: 'ordinary id-1 ü' }).success).toBe(true);
  });
});
