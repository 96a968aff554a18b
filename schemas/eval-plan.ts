import { z } from 'zod';

/** A dotted path into a trace that groups correlated examples (same rule as experiment.yaml's). */
export const clusterKeySchema = z
  .string()
  .regex(/^(input|metadata|exampleId)(\.[^.\s]+)*$/, 'a dotted path starting with input, metadata or exampleId, e.g. metadata.document')
  .max(200);

export const plannedMetricSchema = z
  .object({
    name: z.string().min(1).max(200),
    /**
     * Non-inferiority margin δ (metric units; pass-rate points for boolean metrics): the largest
     * loss against the baseline that is still acceptable. Wins over experiment.yaml's margin.
     */
    margin: z.number().positive().optional(),
    /** The smallest difference the comparison must be able to detect (two-sided, at alpha, with power). */
    mde: z.number().positive().optional(),
  })
  .strict();
export type PlannedMetric = z.infer<typeof plannedMetricSchema>;

/**
 * `experiments/<experiment>/plan.yaml`: the evaluation plan, committed before the results are
 * seen. The run records the digest of the plan at the commit it evaluated; compare and the
 * action's gate use its margins, alpha and cluster key, and flag a comparison whose plan
 * changed after the baseline or whose sample is smaller than the plan needs (docs/compare.md).
 */
export const evalPlanSchema = z
  .object({
    /** Why these numbers: free text for the reviewer. */
    description: z.string().max(10_000).optional(),
    metrics: z.array(plannedMetricSchema).min(1).max(100),
    /** Significance level: tests, verdicts, and the (1 − alpha) intervals the gate reads. */
    alpha: z.number().gt(0).lte(0.5).default(0.05),
    /** Power the sample-size and minimum-detectable-effect figures assume. */
    power: z.number().gt(0).lt(1).default(0.8),
    /** Paired examples a comparison needs; without it, each metric's `mde` decides. */
    sampleSize: z.number().int().min(2).max(100_000_000).optional(),
    /** Groups correlated examples; wins over experiment.yaml's `cluster`. */
    cluster: clusterKeySchema.optional(),
    /** Trials per example each run should make (`--trials`). */
    trials: z.number().int().min(1).max(1000).optional(),
  })
  .strict()
  .superRefine((plan, ctx) => {
    const seen = new Set<string>();
    plan.metrics.forEach((metric, i) => {
      if (seen.has(metric.name))
        ctx.addIssue({ code: 'custom', path: ['metrics', i, 'name'], message: `"${metric.name}" is listed twice` });
      seen.add(metric.name);
      if (metric.margin === undefined && metric.mde === undefined && plan.sampleSize === undefined) {
        ctx.addIssue({
          code: 'custom',
          path: ['metrics', i],
          message: `"${metric.name}" needs a margin or an mde (or the plan a sampleSize)`,
        });
      }
    });
  });
export type EvalPlan = z.infer<typeof evalPlanSchema>;
export type EvalPlanInput = z.input<typeof evalPlanSchema>;
