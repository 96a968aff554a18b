import { z } from 'zod';
import { scoreSchema } from './score.ts';
import { spanSchema } from './span.ts';

export const traceStatusSchema = z.enum(['ok', 'error']);
export type TraceStatus = z.infer<typeof traceStatusSchema>;

/**
 * One line of `traces.jsonl`: one example run through the agent. `exampleId` is stable across
 * runs (the dataset's id, else a hash of the canonical input) so runs can be compared on the
 * same inputs. Times are epoch milliseconds.
 */
export const traceSchema = z.object({
  id: z.string().min(1).max(200),
  exampleId: z.string().min(1).max(500),
  /**
   * Which of K evaluations of the same example in one run this trace is (1-based), when the run
   * evaluates each example several times (`run.map(…, { trials: K })`). Compare averages a
   * run's trials of an example into one per-example value.
   */
  trial: z.number().int().min(1).max(10_000).optional(),
  input: z.unknown(),
  output: z.unknown().optional(),
  expected: z.unknown().optional(),
  status: traceStatusSchema.default('ok'),
  error: z.string().max(100_000).optional(),
  start: z.number(),
  end: z.number(),
  durationMs: z.number().nonnegative(),
  spans: z.array(spanSchema).default([]),
  scores: z.array(scoreSchema).default([]),
  tags: z.array(z.string().max(200)).default([]),
  metadata: z.record(z.string(), z.unknown()).optional(),
});
export type Trace = z.infer<typeof traceSchema>;
export type TraceInput = z.input<typeof traceSchema>;
