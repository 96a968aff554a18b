import type { z } from 'zod';

/**
 * A span or trace may take no time (end equal to start) but never end before it starts: a
 * negative duration is a clock's or a writer's bug, and would show as negative latency and a
 * broken bar. The issue is on `end`, so an error names `spans.3.end` or `end`.
 */
export function refuseEndBeforeStart(what: 'span' | 'trace', value: { start: number; end: number }, ctx: z.RefinementCtx): void {
  if (value.end < value.start)
    ctx.addIssue({
      code: 'custom',
      path: ['end'],
      message: `earlier than the ${what}'s start, ${value.start}; a ${what} may end when it starts, never before`,
    });
}
