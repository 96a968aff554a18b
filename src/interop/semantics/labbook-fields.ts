import type { Score } from '../../../schemas/score.ts';
import { isRecord, parseJsonLoose, toNumber } from '../json-value.ts';
import type { AttributeBag } from './attribute-bag.ts';

/** Trace-level fields the OTLP exporter writes on a trace's root span (`labbook.trace.*`). */
export interface LabbookTraceFields {
  exampleId?: string;
  id?: string;
  input?: { value: unknown };
  /** `{ value: undefined }` says the trace has no output, whatever its root span's outputs. */
  output?: { value: unknown };
  expected?: { value: unknown };
  tags?: string[];
  metadata?: Record<string, unknown>;
  status?: 'ok' | 'error';
  error?: string;
  start?: number;
  end?: number;
  /** `labbook.example.line`: the 1-based line of the run's dataset this trace evaluated. */
  exampleLine?: number;
}

export interface LabbookSpanFields {
  /** `labbook.span.id`: the span's id before the exporter replaced it with OTLP hex. */
  originalId?: string;
  /** `labbook.synthetic`: a placeholder span carrying a trace that had no spans. */
  synthetic: boolean;
  trace: LabbookTraceFields;
  /** `labbook.score.<name>` attributes: a score any instrumented agent can set on a span. */
  scores?: Score[];
}

/** `labbook.score.*` keys of Labbook's own evaluation events, never a score's name. */
const SCORE_EVENT_KEYS = new Set(['labbook.score.type', 'labbook.score.source', 'labbook.score.evaluator', 'labbook.score.error']);
const AI_SDK_METADATA = 'ai.telemetry.metadata.';
/** The keys an agent sets to tie a trace to its dataset example (`labbook.example.*`). */
const EXAMPLE_KEYS = new Set(['labbook.example_id', 'labbook.example.id', 'labbook.example.input', 'labbook.example.expected']);

/**
 * Reads Labbook's own `labbook.*` attributes, which the OTLP exporter writes so that a round
 * trip gives back exactly what was exported, and the contract any instrumented agent may use
 * (docs/otlp.md): `labbook.example.id` (or `labbook.example_id`; a number is the same example as
 * its text), `labbook.example.input`, `labbook.example.expected` and `labbook.example.line` on
 * its root span tie a trace to a dataset example; `labbook.score.<name>` on any span is a score.
 * Values of the wrong type stay attributes.
 */
export function readLabbookFields(bag: AttributeBag): LabbookSpanFields {
  const fields: LabbookSpanFields = { synthetic: false, trace: {} };
  const trace = fields.trace;
  for (const sourceKey in bag.source) {
    // The AI SDK prefixes its telemetry metadata: `metadata: { 'labbook.example_id': … }` arrives
    // as `ai.telemetry.metadata.labbook.example_id`, and ties the trace to its example all the same.
    const key = sourceKey.startsWith(AI_SDK_METADATA) ? sourceKey.slice(AI_SDK_METADATA.length) : sourceKey;
    if (!key.startsWith('labbook.') || (key !== sourceKey && !EXAMPLE_KEYS.has(key))) continue;
    const value = bag.source[sourceKey];
    let taken = true;
    switch (key) {
      case 'labbook.span.id':
        if (typeof value === 'string' && value !== '') fields.originalId = value;
        else taken = false;
        break;
      case 'labbook.synthetic':
        fields.synthetic = value === true;
        break;
      case 'labbook.example.line': {
        const line = toNumber(value);
        if (line !== undefined && Number.isInteger(line) && line >= 1) trace.exampleLine = line;
        else taken = false;
        break;
      }
      case 'labbook.trace.id':
        if (typeof value === 'string' && value !== '') trace.id = value;
        else taken = false;
        break;
      case 'labbook.example_id':
      case 'labbook.example.id': {
        // A dataset's numeric id (`"id": 3`, an OTLP intValue) is the same example as "3".
        const id = exampleIdText(value);
        if (id !== undefined) trace.exampleId ??= id;
        else taken = false;
        break;
      }
      case 'labbook.example.input':
        trace.input ??= { value: parseJsonLoose(value) };
        break;
      case 'labbook.example.expected':
        trace.expected ??= { value: parseJsonLoose(value) };
        break;
      case 'labbook.trace.input':
        trace.input = { value: parseJsonLoose(value) };
        break;
      case 'labbook.trace.output':
        trace.output = { value: parseJsonLoose(value) };
        break;
      case 'labbook.trace.no_output':
        if (value === true) trace.output = { value: undefined };
        else taken = false;
        break;
      case 'labbook.trace.expected':
        trace.expected = { value: parseJsonLoose(value) };
        break;
      case 'labbook.trace.tags': {
        const tags = Array.isArray(value) ? value : parseJsonLoose(value);
        if (Array.isArray(tags) && tags.every((tag) => typeof tag === 'string')) trace.tags = tags;
        else taken = false;
        break;
      }
      case 'labbook.trace.metadata': {
        const metadata = parseJsonLoose(value);
        if (isRecord(metadata)) trace.metadata = metadata;
        else taken = false;
        break;
      }
      case 'labbook.trace.status':
        if (value === 'ok' || value === 'error') trace.status = value;
        else taken = false;
        break;
      case 'labbook.trace.error':
        if (typeof value === 'string') trace.error = value;
        else taken = false;
        break;
      case 'labbook.trace.start':
      case 'labbook.trace.end': {
        const ms = toNumber(value);
        if (ms !== undefined) trace[key === 'labbook.trace.start' ? 'start' : 'end'] = ms;
        else taken = false;
        break;
      }
      default:
        taken =
          key.startsWith('labbook.score.') && !SCORE_EVENT_KEYS.has(key) && addScore(fields, key.slice('labbook.score.'.length), value);
    }
    if (taken) bag.consume(sourceKey);
  }
  return fields;
}

/** A number, a boolean or a label becomes a score; anything else stays an attribute. */
function addScore(fields: LabbookSpanFields, name: string, value: unknown): boolean {
  if (name === '' || name.length > 200) return false;
  if (typeof value !== 'number' && typeof value !== 'boolean' && typeof value !== 'string') return false;
  if (typeof value === 'number' && !Number.isFinite(value)) return false;
  (fields.scores ??= []).push({ name, value, source: 'code' });
  return true;
}

/** An example id as the trace schema stores it: text, or a finite number written as text. */
function exampleIdText(value: unknown): string | undefined {
  if (typeof value === 'string') return value !== '' && value.length <= 500 ? value : undefined;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  // OTLP's intValue arrives as a numeric string when the decoder keeps 64-bit integers exact.
  if (typeof value === 'bigint') return String(value);
  return undefined;
}
