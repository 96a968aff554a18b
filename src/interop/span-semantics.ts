import type { Score } from '../../schemas/score.ts';
import type { Cost, SpanEvent, SpanType, TokenUsage } from '../../schemas/span.ts';
import { EVALUATION_EVENT, scoreFromEvaluationEvent } from './evaluation-event.ts';
import { systemMessageFrom } from './messages.ts';
import { AttributeBag } from './semantics/attribute-bag.ts';
import { readLabbookFields, type LabbookSpanFields, type LabbookTraceFields } from './semantics/labbook-fields.ts';
import { isMessageEvent, readEventMessages } from './semantics/message-events.ts';
import { chooseValue, INPUT_SOURCES, IO_ATTRIBUTE_KEYS, OUTPUT_SOURCES, type ChosenValue, type IoContext } from './semantics/span-io.ts';
import { COST_ATTRIBUTE_KEYS, readCost, readUsage, USAGE_ATTRIBUTE_KEYS } from './semantics/usage-and-cost.ts';
import { findSpanKindRule, isImpliedByType, SPAN_KIND_ATTRIBUTES, type KindConvention } from './span-kind-map.ts';

export type { LabbookTraceFields } from './semantics/labbook-fields.ts';

interface SemanticsInput {
  /** Taken over: it becomes `attributes` when no key became a field, and may be read but not changed after. */
  attributes: Record<string, unknown>;
  events?: readonly SpanEvent[];
  /**
   * True (the default) when `mlflow.*` values are still JSON-encoded strings, as MLflow writes
   * them into OTLP; the MLflow importer decodes every value first and passes false.
   */
  mlflowValuesEncoded?: boolean;
}

/** What a span's attributes and events say, in Labbook's terms. */
interface SpanSemantics {
  type: SpanType;
  kindSource: KindConvention | 'none';
  /** The first kind attribute whose value no convention defines, when no other one decided. */
  unknownKind?: { key: string; value: string };
  model?: string;
  usage?: TokenUsage;
  cost?: Cost;
  inputs?: unknown;
  outputs?: unknown;
  /** The attributes not represented by the fields above (plus normalised tool and provider keys). */
  attributes: Record<string, unknown>;
  /** How many keys `attributes` has. */
  attributeCount: number;
  /** Events that did not become scores, inputs or outputs. */
  events: SpanEvent[];
  scores: Score[];
  /** `labbook.span.id`: the span's original id when it was not OTLP hex. */
  originalId?: string;
  /** `labbook.synthetic`: a span the exporter made up to carry a trace without spans. */
  synthetic: boolean;
  trace: LabbookTraceFields;
  /** Things the caller should warn about (a score event without a name, say). */
  problems: string[];
}

/** Model keys, the resolved (response) model first. */
const MODEL_KEYS = [
  'gen_ai.response.model',
  'gen_ai.request.model',
  'llm.response.model_name',
  'llm.model_name',
  'llm.request.model_name',
  'embedding.model_name',
  'mlflow.llm.model',
  'ai.response.model',
  'ai.model.id',
];

/**
 * Names Labbook reads under their GenAI key, whichever convention wrote them. The tool's name
 * and call id have one vocabulary (`consume`: an alias saying the same is dropped), which tool
 * figures read; the provider's other names are kept beside it, since
 * MLflow's and the AI SDK's differ from GenAI's in what they say (`openai.chat`).
 */
const ALIASES: ReadonlyArray<{ target: string; aliases: readonly string[]; consume: boolean }> = [
  { target: 'gen_ai.tool.name', aliases: ['tool.name', 'ai.toolCall.name'], consume: true },
  { target: 'gen_ai.tool.call.id', aliases: ['ai.toolCall.id', 'tool_call.id'], consume: true },
  {
    target: 'gen_ai.provider.name',
    aliases: ['gen_ai.system', 'llm.provider', 'llm.system', 'mlflow.llm.provider', 'ai.model.provider'],
    consume: false,
  },
];

/** Which readers an attribute concerns, as bits; `labbook.*` is found by prefix. */
const GROUP = { kind: 1, model: 2, usage: 4, cost: 8, io: 16, alias: 32, labbook: 64 } as const;
const KEY_GROUPS = new Map<string, number>();
const addGroup = (keys: Iterable<string>, bit: number) => {
  for (const key of keys) KEY_GROUPS.set(key, (KEY_GROUPS.get(key) ?? 0) | bit);
};
addGroup(
  SPAN_KIND_ATTRIBUTES.map((entry) => entry.key),
  GROUP.kind,
);
addGroup(MODEL_KEYS, GROUP.model);
addGroup(USAGE_ATTRIBUTE_KEYS, GROUP.usage);
addGroup(COST_ATTRIBUTE_KEYS, GROUP.cost);
addGroup(IO_ATTRIBUTE_KEYS, GROUP.io);
addGroup(
  ALIASES.flatMap((entry) => entry.aliases),
  GROUP.alias,
);

/** Shared by every span without events: one empty array instead of millions. Never mutated. */
const NONE: SpanEvent[] = [];
// What a span without the attributes in question reads as; shared, never mutated.
const NONE_SCORED: Score[] = [];
const NO_PROBLEMS: string[] = [];
const NO_KIND: KindReading = { type: 'UNKNOWN', source: 'none' };
const NOTHING_CHOSEN: ChosenValue = { value: undefined, usedEvents: false };
const NO_LABBOOK_FIELDS: LabbookSpanFields = { synthetic: false, trace: {} };
const SYSTEM_INSTRUCTIONS = 'gen_ai.system_instructions';

/**
 * Reads a span's attributes and events through every convention Labbook knows (MLflow,
 * OpenTelemetry GenAI, OpenInference, the Vercel AI SDK) into Labbook's span fields. Every
 * attribute that becomes a field is removed from `attributes`; everything else is kept, so
 * nothing is lost and an export writes it back. When several attributes could be the inputs
 * (OpenInference's `input.value` and `llm.input_messages.*`, say), the most structured one
 * wins and the others are dropped only if they hold the same value.
 */
export function extractSpanSemantics(input: SemanticsInput): SpanSemantics {
  const bag = new AttributeBag(input.attributes, input.mlflowValuesEncoded !== false);
  // Lists and objects below are made only when a span needs them: most spans need none, and
  // a million spans' worth of empty ones is most of what an import allocates.
  let problems: string[] | undefined;

  // One pass over the span's own keys says which readers have anything to read, and finds
  // OpenInference's flattened families: most spans carry a handful of keys, and each reader
  // would otherwise look up a dozen absent ones.
  let groups = 0;
  let keyCount = 0;
  let families: Partial<Record<string, string[]>> | undefined;
  for (const key in bag.source) {
    keyCount++;
    groups |= KEY_GROUPS.get(key) ?? 0;
    const first = key.charCodeAt(0);
    if (first === 108 /* l */) {
      if (key.startsWith('labbook.')) groups |= GROUP.labbook;
      else if (key.startsWith('llm.input_messages.')) ((families ??= {})['llm.input_messages'] ??= []).push(key);
      else if (key.startsWith('llm.output_messages.')) ((families ??= {})['llm.output_messages'] ??= []).push(key);
    } else if (first === 103 /* g */) {
      // OpenLLMetry flattens its messages the way OpenInference does, under GenAI names. The
      // eighth character rules out most GenAI keys before any prefix is compared.
      const eighth = key.charCodeAt(7);
      if (eighth === 112 /* p */ && key.startsWith('gen_ai.prompt.')) ((families ??= {})['gen_ai.prompt'] ??= []).push(key);
      else if (eighth === 99 /* c */ && key.startsWith('gen_ai.completion.')) ((families ??= {})['gen_ai.completion'] ??= []).push(key);
    } else if (first === 97 /* a */ && key.startsWith('ai.telemetry.metadata.labbook.')) {
      groups |= GROUP.labbook;
    } else if (first === 114 /* r */ && key.startsWith('retrieval.documents.')) {
      ((families ??= {})['retrieval.documents'] ??= []).push(key);
    }
  }

  const kind = groups & GROUP.kind ? readKind(bag) : NO_KIND;
  const model = groups & GROUP.model ? readModel(bag) : undefined;
  const usage = groups & GROUP.usage ? readUsage(bag, kind.type) : undefined;
  const cost = groups & GROUP.cost ? readCost(bag) : undefined;

  // Events: evaluation results become scores; GenAI message events may become inputs or outputs.
  const events = input.events ?? [];
  let scores: Score[] | undefined;
  let dropped: Set<SpanEvent> | undefined;
  let hasMessageEvents = false;
  for (const event of events) {
    if (event.name === EVALUATION_EVENT) {
      const result = scoreFromEvaluationEvent(event.attributes ?? {});
      if ('score' in result) {
        (scores ??= []).push(result.score);
        (dropped ??= new Set()).add(event);
      } else {
        (problems ??= []).push(result.problem);
      }
    } else if (isMessageEvent(event.name)) {
      hasMessageEvents = true;
    }
  }
  const fromEvents = hasMessageEvents ? readEventMessages(events) : undefined;

  const readIo = (groups & GROUP.io) !== 0 || families !== undefined;
  const inputs =
    readIo || fromEvents?.inputs !== undefined
      ? chooseValue(INPUT_SOURCES, { bag, families, eventMessages: fromEvents?.inputs } satisfies IoContext)
      : NOTHING_CHOSEN;
  const outputs =
    readIo || fromEvents?.outputs !== undefined
      ? chooseValue(OUTPUT_SOURCES, { bag, families, eventMessages: fromEvents?.outputs } satisfies IoContext)
      : NOTHING_CHOSEN;
  if (fromEvents) {
    if (inputs.usedEvents) for (const event of fromEvents.inputEvents) (dropped ??= new Set()).add(event);
    if (outputs.usedEvents) for (const event of fromEvents.outputEvents) (dropped ??= new Set()).add(event);
    // Problems of events that stay events are not problems: nothing of theirs was reshaped.
    if ((inputs.usedEvents || outputs.usedEvents) && fromEvents.problems.length > 0) (problems ??= []).push(...fromEvents.problems);
  }
  let inputValue = inputs.value;
  if (bag.has(SYSTEM_INSTRUCTIONS)) inputValue = withSystemInstructions(bag, inputValue);

  if (groups & GROUP.alias) for (const { target, aliases, consume } of ALIASES) addAlias(bag, target, aliases, consume);
  if (bag.has('mlflow.traceRequestId')) bag.consume('mlflow.traceRequestId'); // the trace id, again on every span
  const labbook = groups & GROUP.labbook ? readLabbookFields(bag) : NO_LABBOOK_FIELDS;

  const attributes = bag.remaining();
  return {
    type: kind.type,
    kindSource: kind.source,
    unknownKind: kind.unknown,
    model,
    usage,
    cost,
    inputs: inputValue,
    outputs: outputs.value,
    attributes,
    attributeCount: bag.remainingCount(keyCount),
    events: dropped ? events.filter((event) => !dropped.has(event)) : events.length > 0 ? [...events] : NONE,
    scores: labbook.scores ? [...(scores ?? []), ...labbook.scores] : (scores ?? NONE_SCORED),
    originalId: labbook.originalId,
    synthetic: labbook.synthetic,
    trace: labbook.trace,
    problems: problems ?? NO_PROBLEMS,
  };
}

interface KindReading {
  type: SpanType;
  source: KindConvention | 'none';
  unknown?: { key: string; value: string };
}

/**
 * The span's type: the first kind attribute (in `SPAN_KIND_ATTRIBUTES` order) whose value a
 * convention defines decides. Kind attributes that say no more than the type are consumed.
 */
function readKind(bag: AttributeBag): KindReading {
  let type: SpanType = 'UNKNOWN';
  let source: KindConvention | 'none' = 'none';
  let unknown: { key: string; value: string } | undefined;
  for (const { convention, key } of SPAN_KIND_ATTRIBUTES) {
    const value = kindText(bag.get(key));
    if (value === undefined) continue;
    const rule = findSpanKindRule(convention, value);
    if (rule) {
      type = rule.type;
      source = convention;
      break;
    }
    unknown ??= { key, value };
  }
  if (source !== 'none') unknown = undefined;
  // Read again rather than kept from above: a list per span costs more than five lookups.
  for (const { convention, key } of SPAN_KIND_ATTRIBUTES) {
    const value = kindText(bag.get(key));
    if (value !== undefined && isImpliedByType(convention, value, type)) bag.consume(key);
  }
  return unknown ? { type, source, unknown } : { type, source };
}

/** The first model name; other keys naming the same model are consumed, a different one kept. */
function readModel(bag: AttributeBag): string | undefined {
  let model: string | undefined;
  for (const key of MODEL_KEYS) {
    if (!bag.has(key)) continue;
    const value = key.startsWith('mlflow.') ? bag.getMlflow(key) : bag.get(key);
    if (typeof value !== 'string' || value.trim() === '' || value.length > 500) continue;
    model ??= value;
    if (value === model) bag.consume(key);
  }
  return model;
}

/**
 * Gives the span `target` from the first alias present when it does not have it already, so
 * every reader (tool figures, facets, the exporter) needs one key. With `consume`, aliases
 * saying the same are dropped; one saying something else is always kept.
 */
function addAlias(bag: AttributeBag, target: string, aliases: readonly string[], consume: boolean): void {
  const own = bag.get(target);
  if (own !== undefined && typeof own !== 'string') return; // a value of the span's own, never replaced
  let value = own === '' ? undefined : own;
  for (const alias of aliases) {
    if (!bag.has(alias)) continue;
    const aliasValue = alias.startsWith('mlflow.') ? bag.getMlflow(alias) : bag.get(alias);
    if (typeof aliasValue !== 'string' || aliasValue === '') continue;
    if (value === undefined) {
      value = aliasValue;
      bag.add(target, value);
      if (!consume) return;
    }
    if (consume && aliasValue === value) bag.consume(alias);
  }
}

/**
 * `gen_ai.system_instructions` as the first message of the inputs: before a message list, or
 * alone when the span has no inputs. Beside inputs of another shape it stays an attribute.
 */
function withSystemInstructions(bag: AttributeBag, inputs: unknown): unknown {
  const system = systemMessageFrom(bag.get(SYSTEM_INSTRUCTIONS));
  if (!system) return inputs;
  if (inputs !== undefined && !Array.isArray(inputs)) return inputs;
  bag.consume(SYSTEM_INSTRUCTIONS);
  return inputs === undefined ? [system] : [system, ...inputs];
}

/** A kind value as text; MLflow's JSON encoding (`"\"LLM\""`) is undone. */
function kindText(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  let text = value.trim();
  if (text.startsWith('"')) {
    try {
      const parsed: unknown = JSON.parse(text);
      if (typeof parsed === 'string') text = parsed.trim();
    } catch {
      // Not JSON after all: keep the text.
    }
  }
  return text === '' ? undefined : text;
}
