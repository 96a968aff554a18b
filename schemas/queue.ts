import { z } from 'zod';
import { nameSchema } from './names.ts';

const annotationName = z
  .string()
  .min(1)
  .max(100)
  .regex(/^[A-Za-z0-9_][A-Za-z0-9_. -]*$/, 'letters, digits, "_", ".", "-" and spaces');

/**
 * Which traces of the run a queue holds. Exactly one way: the traces that fail a score, those
 * whose judges disagree, a seeded random sample, or an explicit list of trace ids.
 */
export const queueSelectionSchema = z.union([
  z.strictObject({
    /** Traces whose score of this name failed: `false`, 0, or below `below` for a number. */
    fails: annotationName,
    below: z.number().refine(Number.isFinite, 'must be a finite number').optional(),
  }),
  z.strictObject({
    /**
     * `true`: traces where the people who annotated them disagree on some name; `judge`: traces
     * where an automated judge (llm_judge or code) and the people disagree on a name both scored.
     */
    disagree: z.union([z.literal(true), z.literal('judge')]),
  }),
  z.strictObject({
    sample: z.strictObject({
      size: z.number().int().min(1).max(10_000),
      /** The same seed always picks the same traces, so a queue reads the same for everyone. */
      seed: z
        .number()
        .int()
        .min(0)
        .max(2 ** 31 - 1)
        .default(1),
    }),
  }),
  z.strictObject({
    traces: z.array(z.string().min(1).max(200)).min(1).max(10_000),
  }),
]);

/**
 * A review queue: `experiments/<experiment>/queues/<name>.yaml`, committed and reviewed like any
 * file. It names a run, which of its traces to review, what to collect for each, who reviews,
 * and how many reviewers judge each trace (an overlap above 1 lets agreement be measured).
 */
export const queueSchema = z.strictObject({
  title: z.string().min(1).max(200).optional(),
  description: z.string().max(5000).optional(),
  /** The run's full id. */
  run: nameSchema,
  select: queueSelectionSchema,
  collect: z
    .strictObject({
      labels: z.array(annotationName).max(20).default([]),
      metrics: z.array(annotationName).max(20).default([]),
    })
    .refine((c) => c.labels.length + c.metrics.length > 0, 'name at least one label or metric to collect'),
  reviewers: z.array(z.string().min(1).max(100)).max(100).default([]),
  /** How many reviewers judge each trace (at most the number of reviewers). */
  overlap: z.number().int().min(1).max(100).default(1),
});
export type Queue = z.infer<typeof queueSchema>;
export type QueueInput = z.input<typeof queueSchema>;
export type QueueSelection = z.infer<typeof queueSelectionSchema>;
