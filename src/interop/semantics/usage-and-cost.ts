import type { Cost, SpanType, TokenUsage } from '../../../schemas/span.ts';
import { isRecord, toNumber } from '../json-value.ts';
import type { AttributeBag } from './attribute-bag.ts';

type TokenField = 'input' | 'output' | 'total' | 'cached';
const TOKEN_FIELDS: readonly TokenField[] = ['input', 'output', 'total', 'cached'];

/** The keys for each token count, in priority order. GenAI has no total: it is computed. */
const TOKEN_KEYS: Record<TokenField, readonly string[]> = {
  input: ['gen_ai.usage.input_tokens', 'llm.token_count.prompt', 'gen_ai.usage.prompt_tokens'],
  output: ['gen_ai.usage.output_tokens', 'llm.token_count.completion', 'gen_ai.usage.completion_tokens'],
  total: ['llm.token_count.total', 'gen_ai.usage.total_tokens'],
  cached: ['gen_ai.usage.cache_read.input_tokens', 'llm.token_count.prompt_details.cache_read'],
};

/**
 * The Vercel AI SDK's own counts. Its outer `ai.generateText` span repeats the sum of its
 * steps; reading it there would count every token twice, so these are read on model calls only.
 */
const VERCEL_TOKEN_KEYS: Record<TokenField, readonly string[]> = {
  input: ['ai.usage.inputTokens', 'ai.usage.promptTokens'],
  output: ['ai.usage.outputTokens', 'ai.usage.completionTokens'],
  total: ['ai.usage.totalTokens'],
  cached: ['ai.usage.cachedInputTokens'],
};
const MODEL_CALL_TYPES = new Set<SpanType>(['LLM', 'CHAT_MODEL', 'EMBEDDING']);

/** Every attribute `readUsage` and `readCost` look at, so a span without any skips them. */
export const USAGE_ATTRIBUTE_KEYS: readonly string[] = [
  ...Object.values(TOKEN_KEYS).flat(),
  ...Object.values(VERCEL_TOKEN_KEYS).flat(),
  'mlflow.chat.tokenUsage',
  'labbook.usage.simulated',
];

/** `mlflow.chat.tokenUsage` field names. */
const MLFLOW_TOKEN_FIELDS: Record<TokenField, string> = {
  input: 'input_tokens',
  output: 'output_tokens',
  total: 'total_tokens',
  cached: 'cache_read_input_tokens',
};
/** `mlflow.llm.cost` field names. */
const MLFLOW_COST_FIELDS = { input: 'input_cost', output: 'output_cost', total: 'total_cost' } as const;
/** OpenInference's cost attributes. */
const COST_KEYS = { input: 'llm.cost.prompt', output: 'llm.cost.completion', total: 'llm.cost.total' } as const;
export const COST_ATTRIBUTE_KEYS: readonly string[] = [...Object.values(COST_KEYS), 'mlflow.llm.cost'];

/**
 * Token usage from GenAI, OpenInference, MLflow or the AI SDK. Among keys for one count the
 * first wins; others holding the same number are consumed, a different number is kept as an
 * attribute. The total is computed when no convention states it.
 */
export function readUsage(bag: AttributeBag, type: SpanType): TokenUsage | undefined {
  const mlflowRaw = bag.has('mlflow.chat.tokenUsage') ? bag.getMlflow('mlflow.chat.tokenUsage') : undefined;
  const mlflow = isRecord(mlflowRaw) ? mlflowRaw : undefined;
  const counts: Partial<Record<TokenField, number>> = {};
  let found = false;
  for (const field of TOKEN_FIELDS) {
    let value = firstCount(bag, TOKEN_KEYS[field], undefined);
    if (MODEL_CALL_TYPES.has(type)) value = firstCount(bag, VERCEL_TOKEN_KEYS[field], value);
    value ??= mlflow ? nonNegative(mlflow[MLFLOW_TOKEN_FIELDS[field]]) : undefined;
    if (value !== undefined) {
      counts[field] = value;
      found = true;
    }
  }
  if (!found) return undefined;
  if (mlflow && sameFields(mlflow, MLFLOW_TOKEN_FIELDS, counts)) bag.consume('mlflow.chat.tokenUsage');
  const input = counts.input ?? 0;
  const output = counts.output ?? 0;
  const usage: TokenUsage = { input, output, total: counts.total ?? input + output };
  if (counts.cached !== undefined) usage.cached = counts.cached;
  if (bag.get('labbook.usage.simulated') === true) {
    usage.simulated = true;
    bag.consume('labbook.usage.simulated');
  }
  return usage;
}

/** Cost in US dollars from OpenInference's `llm.cost.*` or MLflow's `mlflow.llm.cost`; the total is computed when absent. */
export function readCost(bag: AttributeBag): Cost | undefined {
  const mlflowRaw = bag.has('mlflow.llm.cost') ? bag.getMlflow('mlflow.llm.cost') : undefined;
  const mlflow = isRecord(mlflowRaw) ? mlflowRaw : {};
  const parts: Partial<Record<'input' | 'output' | 'total', number>> = {};
  for (const field of ['input', 'output', 'total'] as const) {
    const value = nonNegative(bag.get(COST_KEYS[field]));
    if (value !== undefined) {
      bag.consume(COST_KEYS[field]);
      parts[field] = value;
    } else {
      const fromMlflow = nonNegative(mlflow[MLFLOW_COST_FIELDS[field]]);
      if (fromMlflow !== undefined) parts[field] = fromMlflow;
    }
  }
  if (parts.input === undefined && parts.output === undefined && parts.total === undefined) return undefined;
  // In the schema's key order, so the stored JSON is the same as the schema's parse would give.
  const cost: Cost = { input: parts.input, output: parts.output, total: parts.total ?? (parts.input ?? 0) + (parts.output ?? 0) };
  if (isRecord(mlflowRaw) && sameFields(mlflow, MLFLOW_COST_FIELDS, cost)) bag.consume('mlflow.llm.cost');
  return cost;
}

function firstCount(bag: AttributeBag, keys: readonly string[], already: number | undefined): number | undefined {
  let value = already;
  for (const key of keys) {
    const count = nonNegative(bag.get(key));
    if (count === undefined) continue;
    value ??= count;
    if (count === value) bag.consume(key);
  }
  return value;
}

function nonNegative(value: unknown): number | undefined {
  const number = toNumber(value);
  return number !== undefined && number >= 0 ? number : undefined;
}

/** True when every key of an MLflow object is known and equals the field it maps to. */
function sameFields(raw: Record<string, unknown>, fields: Record<string, string>, mapped: Record<string, unknown>): boolean {
  for (const key of Object.keys(raw)) {
    const field = Object.keys(fields).find((name) => fields[name] === key);
    if (field === undefined) return false;
    if (raw[key] !== null && toNumber(raw[key]) !== mapped[field]) return false;
  }
  return true;
}
