import { z } from 'zod';
import { isoTimeSchema, nameSchema } from './names.ts';

/**
 * One expert judgement of a trace. A number makes a metric, a string makes a label.
 * Files under `experiments/<experiment>/annotations/*.yaml` hold a list of these.
 */
export const annotationSchema = z.object({
  run: nameSchema,
  trace: z.string().min(1).max(200),
  name: z
    .string()
    .min(1)
    .max(100)
    .regex(/^[A-Za-z0-9_][A-Za-z0-9_. -]*$/, 'letters, digits, "_", ".", "-" and spaces'),
  value: z.union([z.number().refine(Number.isFinite, 'must be a finite number'), z.string().min(1).max(200)]),
  author: z.string().min(1).max(100),
  at: z.union([isoTimeSchema, z.date().transform((d) => d.toISOString())]),
  note: z.string().max(5000).optional(),
});
export type Annotation = z.infer<typeof annotationSchema>;

export const annotationFileSchema = z.array(annotationSchema).max(10_000);
export type AnnotationFile = z.infer<typeof annotationFileSchema>;
