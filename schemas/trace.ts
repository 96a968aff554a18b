import { z } from 'zod';
import { HIDDEN_CHARACTERS_MESSAGE, isVisibleId } from './hidden-characters.ts';
import { scoreSchema } from './score.ts';
import { spanSchema } from './span.ts';
import { findBoundsViolation, formatFieldPath } from './value-limits.ts';
import { refuseEndBeforeStart } from './time-order.ts';

export const traceStatusSchema = z.enum(['ok', 'error']);
export type TraceStatus = z.infer<typeof traceStatusSchema>;

/**
 * A trace id: what annotations, the site's links and every export key a trace by. Hidden
 * characters (TAB, CR, controls, bidi overrides) are refused here, the rule annotations apply.
 */
export const traceIdSchema = z.string().min(1).max(200).refine(isVisibleId, HIDDEN_CHARACTERS_MESSAGE);

/** The issue path for a bounds violation: shortened, so that a field path stays readable. */
function boundsIssuePath(path: Array<string | number>): Array<string | number> {
  return path.length <= 12 ? path : [formatFieldPath(path)];
}

/**
 * One line of `traces.jsonl`: one example run through the agent. `exampleId` is stable across
 * runs (the dataset's id, else a hash of the canonical input) so runs can be compared on the
 * same inputs. Times are epoch milliseconds.
 */
export const traceSchema = z
  .object({
    id: traceIdSchema,
    /**
     * A dataset's numeric id (`"exampleId": 3`, as a script in another language writes it) is
     * accepted and stored as its text, `"3"`: the same example as the SDK's `String(id)`.
     */
    exampleId: z
      .union([z.string().min(1).max(500), z.number()], { error: 'expected a string (1 to 500 characters) or a number' })
      .transform((id) => (typeof id === 'number' ? String(id) : id)),
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
    end: z.number().describe('Epoch milliseconds: equal to start or later, never before it.'),
    durationMs: z.number().nonnegative(),
    spans: z.array(spanSchema).default([]),
    scores: z.array(scoreSchema).default([]),
    tags: z.array(z.string().max(200)).default([]),
    metadata: z.record(z.string(), z.unknown()).optional(),
  })
  .superRefine((trace, ctx) => {
    refuseEndBeforeStart('trace', trace, ctx);
    // The parsed trace holds the same values as the input; checking it bounds every field.
    const violation = findBoundsViolation(trace);
    if (violation) ctx.addIssue({ code: 'custom', path: boundsIssuePath(violation.path), message: violation.message });
  });
export type Trace = z.infer<typeof traceSchema>;
export type TraceInput = z.input<typeof traceSchema>;
