import type { Score } from './score.ts';
import { SPAN_TYPES, type Span, type SpanEvent } from './span.ts';
import type { Trace } from './trace.ts';
import { isVisibleId } from './hidden-characters.ts';
import { findBoundsViolation } from './value-limits.ts';

/**
 * `traceSchema.parse` without zod, for a value that certainly passes it: the schema's defaults
 * (for a field that is undefined, as zod's `.default`) are filled in place and the same object is returned, with the fields and values the schema's
 * parse would give. Undefined means "not certain", never "invalid": the caller then asks the
 * schema, for the verdict and its message. Defaults filled before a later check gave up are the
 * schema's own, so its verdict on the value is unchanged.
 *
 * Reading a trace is what every reader does for every line, and the schema's parse, which
 * builds a copy of every span and score, was a quarter of sealing a run's time and most of its
 * garbage. Keys the schema does not know (which it would strip) make this give up, so what a
 * reader gets is the schema's output either way; `trace-quick-parse.test.ts` holds the two to
 * the same result on random values and checks that the key lists match the schema's.
 *
 * Lengths are compared in UTF-16 units, which are never fewer than the code points the schema
 * counts.
 */
export function quickParseTrace(value: unknown): Trace | undefined {
  if (!plainObject(value) || !onlyKnownKeys(value, TRACE_KEYS)) return undefined;
  const trace = value as Record<string, unknown>;
  if (!text(trace.id, 1, 200) || !isVisibleId(trace.id)) return undefined;
  // A dataset's numeric id becomes its text, as the schema's transform makes it.
  if (finite(trace.exampleId)) trace.exampleId = String(trace.exampleId);
  else if (!text(trace.exampleId, 1, 500)) return undefined;
  if (trace.trial !== undefined && !(Number.isInteger(trace.trial) && (trace.trial as number) >= 1 && (trace.trial as number) <= 10_000))
    return undefined;
  if (trace.status === undefined) trace.status = 'ok';
  if (trace.status !== 'ok' && trace.status !== 'error') return undefined;
  if (!optionalText(trace.error, 100_000)) return undefined;
  if (!finite(trace.start) || !finite(trace.end) || trace.end < trace.start || !finite(trace.durationMs) || trace.durationMs < 0)
    return undefined;
  if (trace.metadata !== undefined && !record(trace.metadata)) return undefined;
  const spans = trace.spans === undefined ? (trace.spans = []) : trace.spans;
  const scores = trace.scores === undefined ? (trace.scores = []) : trace.scores;
  const tags = trace.tags === undefined ? (trace.tags = []) : trace.tags;
  if (!Array.isArray(spans) || !Array.isArray(scores) || !Array.isArray(tags)) return undefined;
  for (const tag of tags) if (!text(tag, 0, 200)) return undefined;
  for (const span of spans) if (!spanParses(span)) return undefined;
  for (const score of scores) if (!scoreParses(score)) return undefined;
  // The schema's own last check: every value within VALUE_LIMITS.
  if (findBoundsViolation(trace)) return undefined;
  return trace as unknown as Trace;
}

/** The keys of each object the trace schema parses (records such as `attributes` keep any key). */
export const TRACE_KEYS: ReadonlySet<string> = new Set([
  'id',
  'exampleId',
  'trial',
  'input',
  'output',
  'expected',
  'status',
  'error',
  'start',
  'end',
  'durationMs',
  'spans',
  'scores',
  'tags',
  'metadata',
]);
export const SPAN_KEYS: ReadonlySet<string> = new Set([
  'id',
  'parentId',
  'name',
  'type',
  'start',
  'end',
  'status',
  'error',
  'inputs',
  'outputs',
  'attributes',
  'events',
  'model',
  'usage',
  'cost',
]);
export const SCORE_KEYS: ReadonlySet<string> = new Set(['name', 'value', 'label', 'rationale', 'source', 'evaluator', 'error']);
export const EVENT_KEYS: ReadonlySet<string> = new Set(['name', 'time', 'attributes']);
export const USAGE_KEYS: ReadonlySet<string> = new Set(['input', 'output', 'total', 'cached', 'simulated']);
export const COST_KEYS: ReadonlySet<string> = new Set(['input', 'output', 'total']);

const TYPES = new Set<string>(SPAN_TYPES);

function spanParses(value: unknown): boolean {
  if (!plainObject(value) || !onlyKnownKeys(value, SPAN_KEYS)) return false;
  const span = value as Partial<Span> & Record<string, unknown>;
  if (!text(span.id, 1, 200)) return false;
  if (span.parentId === undefined) span.parentId = null;
  if (span.parentId !== null && !text(span.parentId, 1, 200)) return false;
  if (span.type === undefined) span.type = 'UNKNOWN';
  if (!text(span.name, 0, 1000) || !TYPES.has(span.type)) return false;
  if (span.status === undefined) span.status = 'ok';
  if (span.status !== 'ok' && span.status !== 'error' && span.status !== 'unset') return false;
  // The schema's refinement: a span may end when it starts, never before.
  if (!finite(span.start) || !finite(span.end) || span.end < span.start) return false;
  if (!optionalText(span.error, 100_000) || !optionalText(span.model, 500)) return false;
  if (span.attributes !== undefined && !record(span.attributes)) return false;
  if (span.events !== undefined) {
    if (!Array.isArray(span.events)) return false;
    for (const event of span.events) if (!eventParses(event)) return false;
  }
  const usage = span.usage as Record<string, unknown> | undefined;
  if (usage !== undefined) {
    if (!plainObject(usage) || !onlyKnownKeys(usage, USAGE_KEYS)) return false;
    if (usage.input === undefined) usage.input = 0;
    if (usage.output === undefined) usage.output = 0;
    if (!count(usage.input) || !count(usage.output)) return false;
    if ((usage.total !== undefined && !count(usage.total)) || (usage.cached !== undefined && !count(usage.cached))) return false;
    if (usage.simulated !== undefined && typeof usage.simulated !== 'boolean') return false;
  }
  const cost = span.cost as Record<string, unknown> | undefined;
  if (cost !== undefined) {
    if (!plainObject(cost) || !onlyKnownKeys(cost, COST_KEYS) || !count(cost.total)) return false;
    if ((cost.input !== undefined && !count(cost.input)) || (cost.output !== undefined && !count(cost.output))) return false;
  }
  return true;
}

function eventParses(event: unknown): boolean {
  if (!plainObject(event) || !onlyKnownKeys(event, EVENT_KEYS)) return false;
  const { name, time, attributes } = event as Partial<SpanEvent>;
  return text(name, 0, 1000) && finite(time) && (attributes === undefined || record(attributes));
}

function scoreParses(value: unknown): boolean {
  if (!plainObject(value) || !onlyKnownKeys(value, SCORE_KEYS)) return false;
  const score = value as Partial<Score> & Record<string, unknown>;
  if (!text(score.name, 1, 200)) return false;
  const v = score.value;
  if (!(v === null || typeof v === 'boolean' || finite(v) || text(v, 0, 10_000))) return false;
  if (score.source === undefined) score.source = 'code';
  if (score.source !== 'code' && score.source !== 'llm_judge' && score.source !== 'human') return false;
  return (
    optionalText(score.label, 200) &&
    optionalText(score.rationale, 100_000) &&
    optionalText(score.evaluator, 200) &&
    optionalText(score.error, 100_000)
  );
}

function onlyKnownKeys(value: object, known: ReadonlySet<string>): boolean {
  for (const key in value) if (!known.has(key)) return false;
  return true;
}

function text(value: unknown, min: number, max: number): value is string {
  return typeof value === 'string' && value.length >= min && value.length <= max;
}

function optionalText(value: unknown, max: number): boolean {
  return value === undefined || text(value, 0, max);
}

function finite(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

function count(value: unknown): boolean {
  return finite(value) && value >= 0;
}

/**
 * An object the schema's records (`metadata`, `attributes`) pass on unchanged. Their parse
 * copies them key by key, and a key `__proto__` (which `JSON.parse` makes an own key) sets the
 * copy's prototype instead, so it is not in the schema's output: a record holding one is left
 * to the schema.
 */
function record(value: unknown): boolean {
  return plainObject(value) && !Object.hasOwn(value, '__proto__');
}

/** An object the schema's records accept: not an array, a Map, a Date or a class instance. */
function plainObject(value: unknown): value is object {
  if (typeof value !== 'object' || value === null) return false;
  const prototype = Object.getPrototypeOf(value) as unknown;
  return prototype === Object.prototype || prototype === null;
}
