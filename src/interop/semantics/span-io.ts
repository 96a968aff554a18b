import { canonicalJson } from '../../json/canonical-json.ts';
import { isRecord, parseJsonLoose, parseJsonStructure } from '../json-value.ts';
import {
  fromGenAiMessages,
  fromOpenInferenceMessages,
  fromOpenLlmetryMessages,
  fromVercelMessages,
  fromVercelPrompt,
  fromVercelToolCalls,
} from '../messages.ts';
import { unflattenPrefix } from '../unflatten.ts';
import type { AttributeBag } from './attribute-bag.ts';

/**
 * Where a span's inputs or outputs may be, most structured first. `read` says how the value
 * is decoded: `mlflow` undoes MLflow's JSON encoding, `json` parses any JSON text, `structure`
 * parses only JSON objects and arrays (so `"42"` stays text), `mime` follows the companion
 * `.mime_type` attribute, `genai`, `openinference` and `openllmetry` (`gen_ai.prompt.N.role`…)
 * normalise chat messages, `documents`
 * unwraps OpenInference's retrieval documents, `vercel-messages` and `vercel-prompt` read the AI
 * SDK's messages, `vercel-response` joins its text, tool calls and object, `events` reads the
 * GenAI message events (or the oldest `gen_ai.content.*` events).
 */
type SourceRead =
  | 'mlflow'
  | 'json'
  | 'structure'
  | 'mime'
  | 'genai'
  | 'openinference'
  | 'openllmetry'
  | 'documents'
  | 'vercel-messages'
  | 'vercel-prompt'
  | 'vercel-response'
  | 'events';

interface IoSource {
  read: SourceRead;
  /** The attribute, or the prefix of a flattened family (`openinference`, `documents`). */
  key: string;
}

export const INPUT_SOURCES: readonly IoSource[] = [
  // Written by Labbook's exporter only when the span keeps its own, different `input.value`.
  { read: 'json', key: 'labbook.inputs' },
  { read: 'mlflow', key: 'mlflow.spanInputs' },
  { read: 'genai', key: 'gen_ai.input.messages' },
  { read: 'openinference', key: 'llm.input_messages' },
  { read: 'openllmetry', key: 'gen_ai.prompt' },
  { read: 'mime', key: 'input.value' },
  { read: 'structure', key: 'gen_ai.tool.call.arguments' },
  { read: 'vercel-messages', key: 'ai.prompt.messages' },
  { read: 'vercel-prompt', key: 'ai.prompt' },
  { read: 'structure', key: 'ai.toolCall.args' },
  { read: 'structure', key: 'ai.toolCall.input' },
  { read: 'json', key: 'ai.values' },
  { read: 'json', key: 'ai.value' },
  { read: 'events', key: '' },
];

export const OUTPUT_SOURCES: readonly IoSource[] = [
  { read: 'json', key: 'labbook.outputs' },
  { read: 'mlflow', key: 'mlflow.spanOutputs' },
  { read: 'genai', key: 'gen_ai.output.messages' },
  { read: 'openinference', key: 'llm.output_messages' },
  { read: 'openllmetry', key: 'gen_ai.completion' },
  { read: 'mime', key: 'output.value' },
  { read: 'structure', key: 'gen_ai.tool.call.result' },
  { read: 'documents', key: 'retrieval.documents' },
  { read: 'vercel-response', key: '' },
  { read: 'structure', key: 'ai.toolCall.result' },
  { read: 'structure', key: 'ai.toolCall.output' },
  { read: 'json', key: 'ai.embeddings' },
  { read: 'json', key: 'ai.embedding' },
  { read: 'events', key: '' },
];

/** The prefixes of OpenInference's (and OpenLLMetry's) flattened families, found in one pass over the keys. */
const FLATTENED_PREFIXES = [
  'llm.input_messages',
  'llm.output_messages',
  'gen_ai.prompt',
  'gen_ai.completion',
  'retrieval.documents',
] as const;

const VERCEL_RESPONSE_KEYS = ['ai.response.text', 'ai.response.toolCalls', 'ai.response.object'] as const;

/** Every single attribute the sources read (the flattened families are found by prefix). */
export const IO_ATTRIBUTE_KEYS: readonly string[] = [
  ...[...INPUT_SOURCES, ...OUTPUT_SOURCES]
    .filter((source) => source.key !== '' && !(FLATTENED_PREFIXES as readonly string[]).includes(source.key))
    .map((source) => source.key),
  'input.mime_type',
  'output.mime_type',
  ...VERCEL_RESPONSE_KEYS,
];

export interface IoContext {
  bag: AttributeBag;
  /** Keys of each flattened family present, by prefix; undefined when the span has none. */
  families: Partial<Record<string, string[]>> | undefined;
  /** What the GenAI message events (or the oldest content events) say, if any. */
  eventMessages: unknown;
}

export interface ChosenValue {
  value: unknown;
  /** True when the event messages became (or equal) the value, so those events are not kept. */
  usedEvents: boolean;
}

/**
 * Picks the first source with a value and consumes its keys; a later source is consumed too
 * when it holds the same value (compared as canonical JSON), else it stays an attribute.
 */
export function chooseValue(sources: readonly IoSource[], context: IoContext): ChosenValue {
  let chosen: unknown;
  let chosenJson: string | undefined;
  let usedEvents = false;
  for (const source of sources) {
    const read = readSource(source, context);
    if (read === undefined) continue;
    if (chosen === undefined) {
      chosen = read.value;
    } else {
      chosenJson ??= canonicalJson(chosen);
      if (canonicalJson(read.value) !== chosenJson) continue;
    }
    context.bag.consumeAll(read.keys);
    if (source.read === 'events') usedEvents = true;
  }
  return { value: chosen, usedEvents };
}

function readSource(
  source: IoSource,
  { bag, families, eventMessages }: IoContext,
): { value: unknown; keys: readonly string[] } | undefined {
  const key = source.key;
  switch (source.read) {
    case 'events':
      return eventMessages !== undefined && !(Array.isArray(eventMessages) && eventMessages.length === 0)
        ? { value: eventMessages, keys: [] }
        : undefined;
    case 'openinference':
    case 'openllmetry':
    case 'documents': {
      const keys = families?.[key];
      if (!keys) return undefined;
      const rebuilt = unflattenPrefix(bag.source, key, keys);
      if (!rebuilt) return undefined;
      if (source.read === 'openllmetry') {
        // Only a list of messages (`gen_ai.prompt.0.role`…); other `gen_ai.prompt.*` keys stay attributes.
        const messages = fromOpenLlmetryMessages(rebuilt.value);
        return messages ? { value: messages, keys: rebuilt.keys } : undefined;
      }
      return {
        value: source.read === 'openinference' ? fromOpenInferenceMessages(rebuilt.value) : unwrapDocuments(rebuilt.value),
        keys: rebuilt.keys,
      };
    }
    case 'vercel-response':
      return readVercelResponse(bag);
  }
  const raw = bag.get(key);
  if (raw === undefined) return undefined;
  switch (source.read) {
    case 'mlflow':
      return { value: bag.getMlflow(key), keys: [key] };
    case 'json':
      return { value: parseJsonLoose(raw), keys: [key] };
    case 'structure':
      return { value: parseJsonStructure(raw), keys: [key] };
    case 'genai':
      return { value: fromGenAiMessages(parseJsonLoose(raw)), keys: [key] };
    case 'vercel-messages':
      return { value: fromVercelMessages(parseJsonLoose(raw)), keys: [key] };
    case 'vercel-prompt':
      return { value: fromVercelPrompt(parseJsonLoose(raw)), keys: [key] };
    case 'mime': {
      const mimeKey = `${key.slice(0, key.indexOf('.'))}.mime_type`;
      const mime = bag.get(mimeKey);
      if (typeof mime === 'string') return { value: mime.includes('json') ? parseJsonLoose(raw) : raw, keys: [key, mimeKey] };
      return { value: parseJsonStructure(raw), keys: [key] };
    }
  }
}

/**
 * The AI SDK's step output: its text alone, or, with tool calls, one assistant message carrying
 * the text and the calls (as GenAI output messages read); an object, or all present as one object.
 */
function readVercelResponse(bag: AttributeBag): { value: unknown; keys: string[] } | undefined {
  let keys: string[] | undefined; // made only for the spans that have any
  for (const key of VERCEL_RESPONSE_KEYS) if (bag.has(key)) (keys ??= []).push(key);
  if (!keys) return undefined;
  const parts: Record<string, unknown> = {};
  for (const key of keys) {
    const name = key.slice('ai.response.'.length);
    parts[name] = name === 'text' ? bag.get(key) : parseJsonLoose(bag.get(key));
  }
  const calls = parts.toolCalls === undefined ? undefined : fromVercelToolCalls(parts.toolCalls);
  if (calls && parts.object === undefined) {
    // An empty list says the step called no tool: the text alone is the output.
    if (calls.length === 0) return parts.text === undefined ? { value: [], keys } : { value: parts.text, keys };
    return { value: [{ role: 'assistant', content: typeof parts.text === 'string' ? parts.text : '', tool_calls: calls }], keys };
  }
  return { value: keys.length === 1 ? Object.values(parts)[0] : parts, keys };
}

function unwrapDocuments(value: unknown): unknown {
  return Array.isArray(value)
    ? value.map((entry) => (isRecord(entry) && isRecord(entry.document) && Object.keys(entry).length === 1 ? entry.document : entry))
    : value;
}
