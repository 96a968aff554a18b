import { z } from 'zod';

const interval = z.tuple([z.number(), z.number()]);

/** Summary of a numeric or boolean score (booleans count as 1/0, so the mean is a pass rate). */
export const numericSummarySchema = z.object({
  kind: z.enum(['number', 'boolean']),
  count: z.number().int().nonnegative(),
  /** Traces where the evaluator threw or the score was null. */
  errors: z.number().int().nonnegative(),
  mean: z.number().nullable(),
  std: z.number().nullable(),
  ci: interval.nullable(),
  /** `wilson` for pass rates, `t` for continuous scores. */
  ciMethod: z.enum(['wilson', 't']),
  min: z.number().nullable(),
  p50: z.number().nullable(),
  p90: z.number().nullable(),
  p95: z.number().nullable(),
  max: z.number().nullable(),
  /**
   * Boolean scores of a run with trials: over `examples` examples, the unbiased pass@k (Chen et
   * al. 2021) and pass^k (Yao et al. 2024) at k = the fewest trials any example had.
   */
  trials: z
    .object({
      examples: z.number().int().nonnegative(),
      k: z.number().int().positive(),
      passAtK: z.number().min(0).max(1),
      passHatK: z.number().min(0).max(1),
    })
    .optional(),
});
export type NumericSummary = z.infer<typeof numericSummarySchema>;

export const labelSummarySchema = z.object({
  kind: z.literal('label'),
  count: z.number().int().nonnegative(),
  errors: z.number().int().nonnegative(),
  counts: z.record(z.string(), z.number().int().nonnegative()),
});
export type LabelSummary = z.infer<typeof labelSummarySchema>;

export const scoreSummarySchema = z.discriminatedUnion('kind', [numericSummarySchema, labelSummarySchema]);
export type ScoreSummary = z.infer<typeof scoreSummarySchema>;

export const distributionSchema = z.object({
  count: z.number().int().nonnegative(),
  mean: z.number().nullable(),
  min: z.number().nullable(),
  p50: z.number().nullable(),
  p90: z.number().nullable(),
  p95: z.number().nullable(),
  p99: z.number().nullable(),
  max: z.number().nullable(),
});
export type Distribution = z.infer<typeof distributionSchema>;

/** Usage of one group of spans (a span type, a model or a tool). */
export const usageGroupSchema = z.object({
  calls: z.number().int().nonnegative(),
  errors: z.number().int().nonnegative(),
  inputTokens: z.number().nonnegative(),
  outputTokens: z.number().nonnegative(),
  totalTokens: z.number().nonnegative(),
  cachedTokens: z.number().nonnegative(),
  cost: z.number().nonnegative(),
  durationMs: z.number().nonnegative(),
});
export type UsageGroup = z.infer<typeof usageGroupSchema>;

/** `experiments/<experiment>/runs/<id>/metrics.json`: computed when the run finishes. */
export const runMetricsSchema = z.object({
  schemaVersion: z.literal(1),
  traces: z.object({
    count: z.number().int().nonnegative(),
    errors: z.number().int().nonnegative(),
    errorRate: z.number().nullable(),
    spans: z.number().int().nonnegative(),
  }),
  scores: z.record(z.string(), scoreSummarySchema),
  latencyMs: distributionSchema,
  tokens: z.object({
    input: z.number().nonnegative(),
    output: z.number().nonnegative(),
    total: z.number().nonnegative(),
    cached: z.number().nonnegative(),
    /** Per-trace total tokens. */
    perTrace: distributionSchema,
    simulated: z.boolean(),
  }),
  cost: z.object({ total: z.number().nonnegative(), perTrace: distributionSchema }),
  byType: z.record(z.string(), usageGroupSchema),
  byModel: z.record(z.string(), usageGroupSchema),
  byTool: z.record(z.string(), usageGroupSchema),
});
export type RunMetrics = z.infer<typeof runMetricsSchema>;
