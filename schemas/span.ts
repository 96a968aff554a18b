import { z } from 'zod';
import { refuseEndBeforeStart } from './time-order.ts';

/** The union of MLflow's span types and OpenInference's span kinds. */
export const SPAN_TYPES = [
  'AGENT',
  'CHAIN',
  'LLM',
  'CHAT_MODEL',
  'TOOL',
  'RETRIEVER',
  'EMBEDDING',
  'RERANKER',
  'PARSER',
  'MEMORY',
  'GUARDRAIL',
  'EVALUATOR',
  'UNKNOWN',
] as const;
export const spanTypeSchema = z.enum(SPAN_TYPES);
export type SpanType = z.infer<typeof spanTypeSchema>;

export const statusSchema = z.enum(['ok', 'error', 'unset']);
export type Status = z.infer<typeof statusSchema>;

export const tokenUsageSchema = z.object({
  input: z.number().nonnegative().default(0),
  output: z.number().nonnegative().default(0),
  total: z.number().nonnegative().optional(),
  cached: z.number().nonnegative().optional(),
  /** True when counts were estimated from text rather than reported by a provider. */
  simulated: z.boolean().optional(),
});
export type TokenUsage = z.infer<typeof tokenUsageSchema>;

/** Cost in US dollars. */
export const costSchema = z.object({
  input: z.number().nonnegative().optional(),
  output: z.number().nonnegative().optional(),
  total: z.number().nonnegative(),
});
export type Cost = z.infer<typeof costSchema>;

export const spanEventSchema = z.object({
  name: z.string().max(1000),
  time: z.number(),
  attributes: z.record(z.string(), z.unknown()).optional(),
});
export type SpanEvent = z.infer<typeof spanEventSchema>;

/**
 * Times are epoch milliseconds (fractions allowed), finite (zod's numbers refuse NaN and
 * ±Infinity). A span may be instantaneous (`end` equal to `start`: a cache hit, a guard that
 * returned at once) but never end before it starts: a negative duration is a clock or a writer's
 * bug, and would show as negative latency and a broken bar. The issue is on `end`, so a line's
 * error names `spans.3.end`. Importers clamp such a span instead (see `draftSpan`). A time
 * before 1970 is not refused: only the order of the two makes a duration wrong.
 */
export const spanSchema = z
  .object({
    id: z.string().min(1).max(200),
    parentId: z.string().min(1).max(200).nullable().default(null),
    name: z.string().max(1000),
    type: spanTypeSchema.default('UNKNOWN'),
    start: z.number(),
    // Said in the published JSON Schema too, which cannot state the refinement below.
    end: z.number().describe('Epoch milliseconds: equal to start (an instantaneous span) or later, never before it.'),
    status: statusSchema.default('ok'),
    error: z.string().max(100_000).optional(),
    inputs: z.unknown().optional(),
    outputs: z.unknown().optional(),
    attributes: z.record(z.string(), z.unknown()).optional(),
    events: z.array(spanEventSchema).optional(),
    model: z.string().max(500).optional(),
    usage: tokenUsageSchema.optional(),
    cost: costSchema.optional(),
  })
  .superRefine((span, ctx) => refuseEndBeforeStart('span', span, ctx));
export type Span = z.infer<typeof spanSchema>;
export type SpanInput = z.input<typeof spanSchema>;
