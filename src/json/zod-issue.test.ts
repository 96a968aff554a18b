import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { describeZodIssue } from './zod-issue.ts';

describe('describeZodIssue', () => {
  it('shows a number JSON read as Infinity (1e400) for what it is, not as null', () => {
    const root = JSON.parse('{"scores": [{"value": 1e400}]}') as unknown;
    const result = z.object({ scores: z.array(z.object({ value: z.number() })) }).safeParse(root);
    expect(result.success).toBe(false);
    expect(describeZodIssue(result.error!.issues[0]!, root)).toMatch(
      /\(got Infinity: a number too large for a 64-bit float, as 1e400 is\)$/,
    );
  });

  it('shows short values as JSON', () => {
    const root = { name: 42 };
    const result = z.object({ name: z.string() }).safeParse(root);
    expect(describeZodIssue(result.error!.issues[0]!, root)).toMatch(/\(got 42\)$/);
  });
});
