import { z } from 'zod';
import { nameSchema } from './names.ts';
import { evaluatorConfigSchema } from './evaluator-config.ts';

/** Which way a metric improves. */
export const directionSchema = z.enum(['higher', 'lower']);
export type Direction = z.infer<typeof directionSchema>;

/** `boolean`: pass/fail scores; `number`: continuous scores; `label`: string categories. */
export const metricKindSchema = z.enum(['boolean', 'number', 'label']);
export type MetricKind = z.infer<typeof metricKindSchema>;

export const trackedMetricSchema = z.object({
  name: z.string().min(1).max(200),
  direction: directionSchema.default('higher'),
  kind: metricKindSchema.default('number'),
  description: z.string().max(2000).optional(),
  /**
   * The smallest difference that matters (in the metric's units; for boolean metrics a
   * difference of pass rates). The compare engine warns when a sample is too small to see it.
   */
  minEffect: z.number().positive().optional(),
  /**
   * Non-inferiority margin δ (metric units): the largest loss against the baseline that is
   * still acceptable. With it, compare answers pass / fail / indeterminate for the metric.
   */
  margin: z.number().positive().optional(),
});
export type TrackedMetric = z.infer<typeof trackedMetricSchema>;

export const annotationRulesSchema = z
  .object({
    /** Allowed values for each label name, e.g. `verdict: [approved, needs review]`. */
    labels: z.record(z.string(), z.array(z.string().min(1).max(200)).min(1)).default({}),
    /** Allowed range of each annotation metric, e.g. `reviewer_score: { min: 0, max: 1 }`. */
    metrics: z
      .record(
        z.string(),
        z.object({ min: z.number().optional(), max: z.number().optional(), direction: directionSchema.default('higher') }),
      )
      .default({}),
  })
  .default({ labels: {}, metrics: {} });
export type AnnotationRules = z.infer<typeof annotationRulesSchema>;

// Evaluators have their own schema; re-exported for the readers of experiment.yaml.
export { BUILTIN_EVALUATORS, evaluatorConfigSchema, type EvaluatorConfig } from './evaluator-config.ts';

/** `experiments/<name>/experiment.yaml`. */
export const experimentSchema = z
  .object({
    name: nameSchema,
    description: z.string().max(10_000).optional(),
    metrics: z.array(trackedMetricSchema).default([]),
    primaryMetric: z.string().min(1).optional(),
    /**
     * A field of each trace that groups examples whose results are correlated (several questions
     * from one document), as a dotted path: `metadata.document`, `input.doc_id`. When set, the
     * compare engine uses clustered standard errors (docs/compare.md, "Clusters").
     */
    cluster: z
      .string()
      .regex(/^(input|metadata|exampleId)(\.[^.\s]+)*$/, 'a dotted path starting with input, metadata or exampleId, e.g. metadata.document')
      .max(200)
      .optional(),
    annotations: annotationRulesSchema,
    /** Evaluators for traces received over OTLP (docs/otlp.md); the SDK's scripts pass their own. */
    evaluators: z.array(evaluatorConfigSchema).max(50).optional(),
  })
  .superRefine((exp, ctx) => {
    if (exp.primaryMetric && !exp.metrics.some((m) => m.name === exp.primaryMetric)) {
      ctx.addIssue({ code: 'custom', path: ['primaryMetric'], message: `"${exp.primaryMetric}" is not one of metrics[].name` });
    }
  });
export type Experiment = z.infer<typeof experimentSchema>;
export type ExperimentInput = z.input<typeof experimentSchema>;
