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

/**
 * Reads Labbook's own `labbook.*` attributes, which the OTLP exporter writes so that a round
 * trip gives back exactly what was exported, and the contract any instrumented agent may use
 * (docs/otlp.md): `labbook.example.id` (or `labbook.example_id`), `labbook.example.input`,
 * `labbook.example.expected` and `labbook.example.line` on its root span tie a trace to a
 * dataset example; `labbook.score.<name>` on any span is a score. Values of the wrong type stay
 * attributes.
 */
export function readLabbookFields(bag: AttributeBag): LabbookSpanFields {
  const fields: LabbookSpanFields = { synthetic: false, trace: {} };
  const trace = fields.trace;
  for (const key in bag.source) {
    if (!key.startsWith('labbook.')) continue;
    const value = bag.source[key];
    let taken = true;
    switch (key) {
      case 'labbook.span.id':
        if (typeof value === 'string' && value !== '') fields.originalId = value;
        else taken = false;
        break;
      case 'labbook.synthetic':
        fields.synthetic = value === true;
        break;
      case 'labbook.example.id':
        // A dataset's numeric ids become their decimal text, as everywhere else in Labbook.
        if ((typeof value === 'string' && value !== '') || (typeof value === 'number' && Number.isFinite(value))) trace.exampleId = String(value);
        else taken = false;
        break;
      case 'labbook.example.input':
        trace.input = { value: parseJsonLoose(value) };
        break;
      case 'labbook.example.expected':
        trace.expected = { value: parseJsonLoose(value) };
        break;
      case 'labbook.example.line': {
        const line = toNumber(value);
        if (line !== undefined && Number.isInteger(line) && line >= 1) trace.exampleLine = line;
        else taken = false;
        break;
      }
      case 'labbook.example_id':
      case 'labbook.trace.id':
        if (typeof value === 'string' && value !== '') trace[key === 'labbook.trace.id' ? 'id' : 'exampleId'] = value;
        else taken = false;
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
        taken = key.startsWith('labbook.score.') && !SCORE_EVENT_KEYS.has(key) && addScore(fields, key.slice('labbook.score.'.length), value);
    }
    if (taken) bag.consume(key);
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
