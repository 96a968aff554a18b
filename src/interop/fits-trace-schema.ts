import type { Score } from '../../schemas/score.ts';
import { SPAN_TYPES, type Span, type SpanEvent } from '../../schemas/span.ts';
import type { Trace } from '../../schemas/trace.ts';
import { isVisibleId } from '../../schemas/hidden-characters.ts';

/**
 * True when an imported trace certainly passes `traceSchema`, checked without building the
 * schema parse's copy of every span (which was most of what writing an import cost: a run is
 * validated again, from the file, when it is finished). False means "not certain", never
 * "invalid": the caller then asks the schema, for the verdict and its message.
 *
 * The importer builds traces of the schema's shape, so only what comes from the input is
 * checked: lengths, finite numbers, enum values and plain objects. String lengths are compared
 * in UTF-16 units, which are never fewer than the code points the schema counts.
 */
export function fitsTraceSchema(trace: Trace): boolean {
  if (!text(trace.id, 1, 200) || !isVisibleId(trace.id) || !text(trace.exampleId, 1, 500)) return false;
  if (trace.status !== 'ok' && trace.status !== 'error') return false;
  if (!optionalText(trace.error, 100_000)) return false;
  if (!finite(trace.start) || !finite(trace.end) || !finite(trace.durationMs) || trace.durationMs < 0) return false;
  if (trace.metadata !== undefined && !plainObject(trace.metadata)) return false;
  if (!Array.isArray(trace.tags) || !Array.isArray(trace.spans) || !Array.isArray(trace.scores)) return false;
  for (const tag of trace.tags) if (!text(tag, 0, 200)) return false;
  for (const span of trace.spans) if (!spanFits(span)) return false;
  for (const score of trace.scores) if (!scoreFits(score)) return false;
  return true;
}

const TYPES = new Set<string>(SPAN_TYPES);

function spanFits(span: Span): boolean {
  if (!plainObject(span)) return false;
  if (!text(span.id, 1, 200) || (span.parentId !== null && !text(span.parentId, 1, 200))) return false;
  if (!text(span.name, 0, 1000) || !TYPES.has(span.type)) return false;
  if (span.status !== 'ok' && span.status !== 'error' && span.status !== 'unset') return false;
  if (!finite(span.start) || !finite(span.end)) return false;
  if (!optionalText(span.error, 100_000) || !optionalText(span.model, 500)) return false;
  if (span.attributes !== undefined && !plainObject(span.attributes)) return false;
  if (span.events !== undefined) {
    if (!Array.isArray(span.events)) return false;
    for (const event of span.events) if (!eventFits(event)) return false;
  }
  const usage = span.usage;
  if (usage !== undefined) {
    if (!plainObject(usage) || !count(usage.input) || !count(usage.output)) return false;
    if ((usage.total !== undefined && !count(usage.total)) || (usage.cached !== undefined && !count(usage.cached))) return false;
    if (usage.simulated !== undefined && typeof usage.simulated !== 'boolean') return false;
  }
  const cost = span.cost;
  if (cost !== undefined) {
    if (!plainObject(cost) || !count(cost.total)) return false;
    if ((cost.input !== undefined && !count(cost.input)) || (cost.output !== undefined && !count(cost.output))) return false;
  }
  return true;
}

function eventFits(event: SpanEvent): boolean {
  return (
    plainObject(event) &&
    text(event.name, 0, 1000) &&
    finite(event.time) &&
    (event.attributes === undefined || plainObject(event.attributes))
  );
}

function scoreFits(score: Score): boolean {
  if (!plainObject(score) || !text(score.name, 1, 200)) return false;
  const value = score.value;
  if (!(value === null || typeof value === 'boolean' || finite(value) || text(value, 0, 10_000))) return false;
  if (score.source !== 'code' && score.source !== 'llm_judge' && score.source !== 'human') return false;
  return (
    optionalText(score.label, 200) &&
    optionalText(score.rationale, 100_000) &&
    optionalText(score.evaluator, 200) &&
    optionalText(score.error, 100_000)
  );
}

function text(value: unknown, min: number, max: number): boolean {
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

/** An object the schema's records accept: not an array, a Map, a Date or a class instance. */
function plainObject(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return false;
  const prototype = Object.getPrototypeOf(value) as unknown;
  return prototype === Object.prototype || prototype === null;
}
