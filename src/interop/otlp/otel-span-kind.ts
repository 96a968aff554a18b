import type { SpanType } from '../../../schemas/span.ts';

/** OTLP's span kinds, indexed by their protobuf number. */
export const OTEL_SPAN_KINDS = ['UNSPECIFIED', 'INTERNAL', 'SERVER', 'CLIENT', 'PRODUCER', 'CONSUMER'] as const;

/** The scope name Labbook's exporter writes; its resource is Labbook's, not the agent's. */
export const LABBOOK_SCOPE = 'labbook';

const MODEL_CALLS = new Set<SpanType>(['LLM', 'CHAT_MODEL', 'EMBEDDING']);

/**
 * The OTLP kind the exporter gives a span of a type: CLIENT for calls to a model provider (as
 * the GenAI conventions ask), INTERNAL for the rest. Returned as its protobuf number.
 */
export function defaultOtelKind(type: SpanType): number {
  return MODEL_CALLS.has(type) ? 3 : 1;
}
