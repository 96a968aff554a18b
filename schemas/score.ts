import { z } from 'zod';

export const scoreSourceSchema = z.enum(['code', 'llm_judge', 'human']);
export type ScoreSource = z.infer<typeof scoreSourceSchema>;

/**
 * One evaluation of a trace. A number is a continuous score, a boolean a pass/fail, a
 * string a label. An evaluator that threw records `value: null` and its `error`. `label` is the
 * category a numeric score was also given (an OpenTelemetry evaluation event may carry both a
 * `score.value` and a `score.label`).
 */
export const scoreSchema = z.object({
  name: z.string().min(1).max(200),
  value: z.union([z.number(), z.boolean(), z.string().max(10_000), z.null()]),
  label: z.string().max(200).optional(),
  rationale: z.string().max(100_000).optional(),
  source: scoreSourceSchema.default('code'),
  evaluator: z.string().max(200).optional(),
  error: z.string().max(100_000).optional(),
});
export type Score = z.infer<typeof scoreSchema>;
export type ScoreValue = Score['value'];

/**
 * A score's value as a number where it is one: a pass/fail as 1/0, a finite number as itself;
 * null for a label, an errored score (`null`) or anything else.
 */
export function scoreAsNumber(value: unknown): number | null {
  if (typeof value === 'boolean') return value ? 1 : 0;
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}
