import { SPAN_TYPES, type SpanType } from '../../schemas/span.ts';

/**
 * The naming conventions whose span kinds Labbook reads, in the order they are consulted
 * when a span carries several (see `SPAN_KIND_ATTRIBUTES`).
 */
export type KindConvention = 'labbook' | 'mlflow' | 'openinference' | 'genai' | 'vercel-ai' | 'openllmetry';

interface SpanKindRule {
  convention: KindConvention;
  /** The value as the convention spells it (compared exactly, after trimming). */
  value: string;
  type: SpanType;
}

/** The attribute each convention stores its kind in. */
export const SPAN_KIND_ATTRIBUTES: ReadonlyArray<{ convention: KindConvention; key: string }> = [
  { convention: 'labbook', key: 'labbook.span.type' },
  { convention: 'mlflow', key: 'mlflow.spanType' },
  { convention: 'openinference', key: 'openinference.span.kind' },
  { convention: 'genai', key: 'gen_ai.operation.name' },
  { convention: 'vercel-ai', key: 'ai.operationId' },
  // OpenLLMetry (Traceloop): its own span kind, and the request type of its model calls.
  { convention: 'openllmetry', key: 'traceloop.span.kind' },
  { convention: 'openllmetry', key: 'llm.request.type' },
];

/**
 * Every kind Labbook recognises. MLflow's span types and OpenInference's kinds map to the
 * type of the same name (Labbook's types are their union); OpenInference's PROMPT (rendering a
 * prompt template) has no equivalent and stays UNKNOWN with its original kind kept. The GenAI
 * operations follow the OpenTelemetry semantic conventions; the Vercel AI SDK's operation ids
 * are its `ai.*` span names: the outer call of a multi-step generation is a CHAIN (its usage
 * is the sum of its steps'), each provider call (`.doGenerate`, `.doStream`) an LLM.
 */
export const SPAN_KIND_RULES: readonly SpanKindRule[] = [
  // Labbook's own attribute, written by the OTLP exporter so a round trip keeps every type.
  ...SPAN_TYPES.map((type): SpanKindRule => ({ convention: 'labbook', value: type, type })),

  { convention: 'mlflow', value: 'LLM', type: 'LLM' },
  { convention: 'mlflow', value: 'CHAT_MODEL', type: 'CHAT_MODEL' },
  { convention: 'mlflow', value: 'CHAIN', type: 'CHAIN' },
  { convention: 'mlflow', value: 'AGENT', type: 'AGENT' },
  { convention: 'mlflow', value: 'TOOL', type: 'TOOL' },
  { convention: 'mlflow', value: 'RETRIEVER', type: 'RETRIEVER' },
  { convention: 'mlflow', value: 'EMBEDDING', type: 'EMBEDDING' },
  { convention: 'mlflow', value: 'RERANKER', type: 'RERANKER' },
  { convention: 'mlflow', value: 'PARSER', type: 'PARSER' },
  { convention: 'mlflow', value: 'MEMORY', type: 'MEMORY' },
  { convention: 'mlflow', value: 'UNKNOWN', type: 'UNKNOWN' },

  { convention: 'openinference', value: 'LLM', type: 'LLM' },
  { convention: 'openinference', value: 'EMBEDDING', type: 'EMBEDDING' },
  { convention: 'openinference', value: 'CHAIN', type: 'CHAIN' },
  { convention: 'openinference', value: 'RETRIEVER', type: 'RETRIEVER' },
  { convention: 'openinference', value: 'RERANKER', type: 'RERANKER' },
  { convention: 'openinference', value: 'TOOL', type: 'TOOL' },
  { convention: 'openinference', value: 'AGENT', type: 'AGENT' },
  { convention: 'openinference', value: 'GUARDRAIL', type: 'GUARDRAIL' },
  { convention: 'openinference', value: 'EVALUATOR', type: 'EVALUATOR' },
  { convention: 'openinference', value: 'UNKNOWN', type: 'UNKNOWN' },
  { convention: 'openinference', value: 'PROMPT', type: 'UNKNOWN' },

  { convention: 'genai', value: 'chat', type: 'CHAT_MODEL' },
  { convention: 'genai', value: 'text_completion', type: 'LLM' },
  { convention: 'genai', value: 'generate_content', type: 'LLM' },
  { convention: 'genai', value: 'embeddings', type: 'EMBEDDING' },
  { convention: 'genai', value: 'execute_tool', type: 'TOOL' },
  { convention: 'genai', value: 'create_agent', type: 'AGENT' },
  { convention: 'genai', value: 'invoke_agent', type: 'AGENT' },

  { convention: 'vercel-ai', value: 'ai.generateText', type: 'CHAIN' },
  { convention: 'vercel-ai', value: 'ai.generateText.doGenerate', type: 'LLM' },
  { convention: 'vercel-ai', value: 'ai.streamText', type: 'CHAIN' },
  { convention: 'vercel-ai', value: 'ai.streamText.doStream', type: 'LLM' },
  { convention: 'vercel-ai', value: 'ai.generateObject', type: 'CHAIN' },
  { convention: 'vercel-ai', value: 'ai.generateObject.doGenerate', type: 'LLM' },
  { convention: 'vercel-ai', value: 'ai.streamObject', type: 'CHAIN' },
  { convention: 'vercel-ai', value: 'ai.streamObject.doStream', type: 'LLM' },
  { convention: 'vercel-ai', value: 'ai.toolCall', type: 'TOOL' },
  { convention: 'vercel-ai', value: 'ai.embed', type: 'EMBEDDING' },
  { convention: 'vercel-ai', value: 'ai.embed.doEmbed', type: 'EMBEDDING' },
  { convention: 'vercel-ai', value: 'ai.embedMany', type: 'EMBEDDING' },
  { convention: 'vercel-ai', value: 'ai.embedMany.doEmbed', type: 'EMBEDDING' },

  // `traceloop.span.kind`: a workflow and its tasks are chains of steps.
  { convention: 'openllmetry', value: 'workflow', type: 'CHAIN' },
  { convention: 'openllmetry', value: 'task', type: 'CHAIN' },
  { convention: 'openllmetry', value: 'agent', type: 'AGENT' },
  { convention: 'openllmetry', value: 'tool', type: 'TOOL' },
  { convention: 'openllmetry', value: 'unknown', type: 'UNKNOWN' },
  // `llm.request.type` on model calls.
  { convention: 'openllmetry', value: 'chat', type: 'CHAT_MODEL' },
  { convention: 'openllmetry', value: 'completion', type: 'LLM' },
  { convention: 'openllmetry', value: 'embedding', type: 'EMBEDDING' },
  { convention: 'openllmetry', value: 'rerank', type: 'RERANKER' },
];

const RULES = new Map<KindConvention, Map<string, SpanKindRule>>();
for (const rule of SPAN_KIND_RULES) {
  let byValue = RULES.get(rule.convention);
  if (!byValue) RULES.set(rule.convention, (byValue = new Map()));
  byValue.set(rule.value, rule);
}

/** The rule for one convention's kind value, or undefined when the value is not known. */
export function findSpanKindRule(convention: KindConvention, value: string): SpanKindRule | undefined {
  const byValue = RULES.get(convention);
  return byValue?.get(value) ?? byValue?.get(value.trim());
}

/**
 * What the OTLP exporter writes for each type, so that OpenInference and GenAI backends
 * (Phoenix, Langfuse, MLflow) classify the span; `labbook.span.type` carries the exact type.
 * OpenInference has no CHAT_MODEL, PARSER or MEMORY, so those travel as its nearest kind.
 */
export const EXPORT_KINDS: Readonly<Record<SpanType, { openinference: string; genai?: string }>> = {
  AGENT: { openinference: 'AGENT', genai: 'invoke_agent' },
  CHAIN: { openinference: 'CHAIN' },
  LLM: { openinference: 'LLM', genai: 'text_completion' },
  CHAT_MODEL: { openinference: 'LLM', genai: 'chat' },
  TOOL: { openinference: 'TOOL', genai: 'execute_tool' },
  RETRIEVER: { openinference: 'RETRIEVER' },
  EMBEDDING: { openinference: 'EMBEDDING', genai: 'embeddings' },
  RERANKER: { openinference: 'RERANKER' },
  PARSER: { openinference: 'CHAIN' },
  MEMORY: { openinference: 'CHAIN' },
  GUARDRAIL: { openinference: 'GUARDRAIL' },
  EVALUATOR: { openinference: 'EVALUATOR' },
  UNKNOWN: { openinference: 'UNKNOWN' },
};

/**
 * True when a kind attribute says nothing the span's type does not: it is what the exporter
 * would write for that type (or, for MLflow and Labbook, the type itself). Such attributes are
 * dropped on import; any other value (say `generate_content`, or `PROMPT`) is kept so that an
 * export writes it back unchanged.
 */
export function isImpliedByType(convention: KindConvention, value: string, type: SpanType): boolean {
  switch (convention) {
    case 'labbook':
    case 'mlflow':
      return value.trim() === type;
    case 'openinference':
      return value.trim() === EXPORT_KINDS[type].openinference;
    case 'genai':
      return value.trim() === EXPORT_KINDS[type].genai;
    case 'vercel-ai':
    case 'openllmetry': // a workflow and a task are both CHAINs: the kind says more than the type
      return false;
  }
}
