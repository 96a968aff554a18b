import type { Span } from '../../../schemas/span.ts';
import type { Trace } from '../../../schemas/trace.ts';
import { sha256Hex } from '../../store/digest.ts';
import { canonicalJson } from '../../json/canonical-json.ts';
import { evaluationEventAttributes, EVALUATION_EVENT } from '../evaluation-event.ts';
import { isOtlpHexId } from '../ids.ts';
import { isRecord, parseJsonStructure, setOwn } from '../json-value.ts';
import {
  fromGenAiMessages,
  fromOpenInferenceMessages,
  isSimpleMessageList,
  toGenAiChatMessages,
  toGenAiMessages,
  toOpenInferenceChatMessages,
  toOpenInferenceMessages,
} from '../messages.ts';
import { msToNanos } from '../nanos.ts';
import { EXPORT_KINDS } from '../span-kind-map.ts';
import { flattenToPrefix } from '../unflatten.ts';
import { TOOL_VERSION } from '../../store/version.ts';
import { encodeAttributes, type OtlpKeyValue } from './any-value.ts';
import { defaultOtelKind, LABBOOK_SCOPE, OTEL_SPAN_KINDS } from './otel-span-kind.ts';

export interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
  startTimeUnixNano: string;
  endTimeUnixNano: string;
  attributes: OtlpKeyValue[];
  events?: Array<{ timeUnixNano: string; name: string; attributes?: OtlpKeyValue[] }>;
  status: { code: number; message?: string };
}

export interface OtlpRequest {
  resourceSpans: Array<{
    resource: { attributes: OtlpKeyValue[] };
    scopeSpans: Array<{ scope: { name: string; version: string }; spans: OtlpSpan[] }>;
  }>;
}

export interface ExportOptions {
  /** `service.name` of the resource; defaults to `labbook`. */
  serviceName?: string;
  /** More resource attributes (the run id and experiment, say). */
  resourceAttributes?: Record<string, unknown>;
}

const STATUS_CODE = { unset: 0, ok: 1, error: 2 } as const;

/**
 * One trace's spans as OTLP spans, with the conventions other backends read: OpenInference
 * (`openinference.span.kind`, `input.value`/`output.value`, `llm.model_name`,
 * `llm.token_count.*`, `llm.cost.*`, `llm.input_messages.*`), GenAI (`gen_ai.operation.name`,
 * models, `gen_ai.usage.*`, `gen_ai.input.messages`, tool call arguments and results) and
 * scores as `gen_ai.evaluation.result` events on the root span. `labbook.*` attributes carry
 * what no convention holds (the exact type, the trace's example id, expected output, tags),
 * so that importing the file gives back the same trace.
 *
 * Ids that are not OTLP hex (16 digits for spans, 32 for traces) are replaced by a hash of
 * the id, the original kept in `labbook.span.id` / `labbook.trace.id`. A trace without spans
 * gets one placeholder span marked `labbook.synthetic`, which the importer drops.
 */
export function traceToOtlpSpans(trace: Trace): OtlpSpan[] {
  const traceHex = isOtlpHexId(trace.id, 32) ? trace.id : sha256Hex(`trace:${trace.id}`).slice(0, 32);
  const spanHex = new Map<string, string>();
  for (const span of trace.spans)
    spanHex.set(span.id, isOtlpHexId(span.id, 16) ? span.id : sha256Hex(`span:${trace.id}:${span.id}`).slice(0, 16));

  const spans = trace.spans.length > 0 ? trace.spans : [placeholderSpan(trace)];
  if (trace.spans.length === 0) spanHex.set(spans[0]!.id, sha256Hex(`span:${trace.id}:placeholder`).slice(0, 16));
  const root = pickRoot(spans);
  return spans.map((span) => {
    const attributes = spanAttributes(span);
    const hex = spanHex.get(span.id)!;
    if (hex !== span.id) attributes['labbook.span.id'] = span.id;
    if (span === root) Object.assign(attributes, traceAttributes(trace, traceHex, span));
    // A kind kept from an import travels as the span's kind; the importer restores the attribute
    // when it differs from the usual kind for the type, so it is removed only then.
    const otelKind = attributes['otel.span.kind'];
    const kindIndex = typeof otelKind === 'string' ? OTEL_SPAN_KINDS.indexOf(otelKind as never) : -1;
    if (kindIndex > 0 && kindIndex !== defaultOtelKind(span.type)) delete attributes['otel.span.kind'];
    const out: OtlpSpan = {
      traceId: traceHex,
      spanId: hex,
      name: span.name,
      kind: kindIndex > 0 ? kindIndex : defaultOtelKind(span.type),
      startTimeUnixNano: msToNanos(span.start),
      endTimeUnixNano: msToNanos(span.end),
      attributes: encodeAttributes(attributes),
      status: span.error !== undefined ? { code: STATUS_CODE[span.status], message: span.error } : { code: STATUS_CODE[span.status] },
    };
    const parent = span.parentId === null ? undefined : (spanHex.get(span.parentId) ?? span.parentId);
    if (parent !== undefined) out.parentSpanId = parent;
    const events = (span.events ?? []).map((event) => ({
      timeUnixNano: msToNanos(event.time),
      name: event.name,
      ...(event.attributes ? { attributes: encodeAttributes(event.attributes) } : {}),
    }));
    if (span === root) {
      for (const score of trace.scores)
        events.push({
          timeUnixNano: msToNanos(trace.end),
          name: EVALUATION_EVENT,
          attributes: encodeAttributes(evaluationEventAttributes(score)),
        });
    }
    if (events.length > 0) out.events = events;
    return out;
  });
}

/** Traces as one OTLP `ExportTraceServiceRequest`, ready for `JSON.stringify` or an OTLP/HTTP JSON endpoint. */
export function tracesToOtlpRequest(traces: Iterable<Trace>, options: ExportOptions = {}): OtlpRequest {
  const spans: OtlpSpan[] = [];
  for (const trace of traces) spans.push(...traceToOtlpSpans(trace));
  return wrapSpans(spans, options);
}

/** Spans wrapped in one resource and Labbook's scope. */
export function wrapSpans(spans: OtlpSpan[], options: ExportOptions = {}): OtlpRequest {
  return {
    resourceSpans: [
      {
        resource: { attributes: encodeAttributes({ 'service.name': options.serviceName ?? 'labbook', ...options.resourceAttributes }) },
        scopeSpans: [{ scope: { name: LABBOOK_SCOPE, version: TOOL_VERSION }, spans }],
      },
    ],
  };
}

/**
 * A span's fields as attributes in every convention. The span's own attributes are what an
 * import could not represent (a request model that differs from the resolved one, an
 * OpenInference `input.value` that is not the messages…), so they are never overwritten: each
 * field is written to its first-choice key, which the importer reads first, and to the other
 * conventions' keys only where the span has nothing of its own.
 */
function spanAttributes(span: Span): Record<string, unknown> {
  const own = span.attributes ?? {};
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(own)) setOwn(out, key, own[key]);
  const setFree = (key: string, value: unknown) => {
    if (!Object.hasOwn(own, key)) out[key] = value;
  };
  const kinds = EXPORT_KINDS[span.type];
  out['labbook.span.type'] = span.type;
  setFree('openinference.span.kind', kinds.openinference);
  if (kinds.genai) setFree('gen_ai.operation.name', kinds.genai);
  if (span.model !== undefined) {
    out['gen_ai.response.model'] = span.model;
    setFree('gen_ai.request.model', span.model);
    setFree('llm.model_name', span.model);
  }
  if (span.usage) {
    out['gen_ai.usage.input_tokens'] = span.usage.input;
    out['gen_ai.usage.output_tokens'] = span.usage.output;
    setFree('llm.token_count.prompt', span.usage.input);
    setFree('llm.token_count.completion', span.usage.output);
    if (span.usage.total !== undefined) out['llm.token_count.total'] = span.usage.total;
    if (span.usage.cached !== undefined) {
      out['gen_ai.usage.cache_read.input_tokens'] = span.usage.cached;
      setFree('llm.token_count.prompt_details.cache_read', span.usage.cached);
    }
    if (span.usage.simulated) out['labbook.usage.simulated'] = true;
  }
  if (span.cost) {
    if (span.cost.input !== undefined) out['llm.cost.prompt'] = span.cost.input;
    if (span.cost.output !== undefined) out['llm.cost.completion'] = span.cost.output;
    out['llm.cost.total'] = span.cost.total;
  }
  if (span.inputs !== undefined)
    writeValue(out, own, 'input', span.inputs, span.type === 'TOOL' ? 'gen_ai.tool.call.arguments' : undefined);
  if (span.outputs !== undefined)
    writeValue(out, own, 'output', span.outputs, span.type === 'TOOL' ? 'gen_ai.tool.call.result' : undefined);
  return out;
}

/**
 * A span's inputs or outputs: `input.value` (JSON with its mime type, or text), chat messages
 * also as `gen_ai.input.messages` and OpenInference's flattened `llm.input_messages`, and a
 * tool's arguments or result under the GenAI tool keys. An attribute the span keeps of its own
 * (an imported `input.value` that differed from the messages, say) is never overwritten; the
 * value then travels in `labbook.inputs`, which the importer reads first.
 */
function writeValue(
  out: Record<string, unknown>,
  own: Record<string, unknown>,
  direction: 'input' | 'output',
  value: unknown,
  toolKey: string | undefined,
): void {
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  if (text === undefined) return;
  const valueKey = `${direction}.value`;
  const mimeKey = `${direction}.mime_type`;
  if (Object.hasOwn(own, valueKey) || Object.hasOwn(own, mimeKey)) {
    out[direction === 'input' ? 'labbook.inputs' : 'labbook.outputs'] = JSON.stringify(value);
  } else {
    out[valueKey] = text;
    out[mimeKey] = typeof value === 'string' ? 'text/plain' : 'application/json';
  }
  const setFree = (key: string, item: unknown) => {
    if (!Object.hasOwn(own, key)) out[key] = item;
  };
  if (isSimpleMessageList(value)) {
    setFree(`gen_ai.${direction}.messages`, JSON.stringify(toGenAiMessages(value)));
    const prefix = `llm.${direction}_messages`;
    if (!Object.keys(own).some((key) => key.startsWith(`${prefix}.`))) flattenToPrefix(prefix, toOpenInferenceMessages(value), out);
  } else if (toolKey) {
    // The tool keys hold JSON text whose type they do not say: only objects, arrays and strings
    // that do not look like JSON come back as they were; `input.value` alone carries the rest.
    if (typeof value === 'string' ? parseJsonStructure(value) === value : typeof value === 'object' && value !== null)
      setFree(toolKey, text);
  } else {
    writeToolChat(value, direction, own, out, setFree);
  }
}

/**
 * Chat messages with tool calls or tool results as `gen_ai.*.messages` (parts) and OpenInference's
 * flattened messages, so Phoenix, Langfuse or MLflow draw the calls too. Each shape is written
 * only when the importer reads it back as the same messages; `input.value` always carries them.
 */
function writeToolChat(
  value: unknown,
  direction: 'input' | 'output',
  own: Record<string, unknown>,
  out: Record<string, unknown>,
  setFree: (key: string, item: unknown) => void,
): void {
  if (
    !Array.isArray(value) ||
    !value.some((message) => isRecord(message) && (Array.isArray(message.tool_calls) || message.role === 'tool'))
  )
    return;
  const genai = toGenAiChatMessages(value);
  if (!genai || !sameJson(fromGenAiMessages(genai), value)) return;
  setFree(`gen_ai.${direction}.messages`, JSON.stringify(genai));
  const nested = toOpenInferenceChatMessages(value as Record<string, unknown>[]);
  const prefix = `llm.${direction}_messages`;
  if (sameJson(fromOpenInferenceMessages(nested), value) && !Object.keys(own).some((key) => key.startsWith(`${prefix}.`)))
    flattenToPrefix(prefix, nested, out);
}

/** `labbook.*` trace fields on the root span; input and output only when the root's differ. */
function traceAttributes(trace: Trace, traceHex: string, root: Span): Record<string, unknown> {
  const out: Record<string, unknown> = { 'labbook.example_id': trace.exampleId };
  if (traceHex !== trace.id) out['labbook.trace.id'] = trace.id;
  if (!sameJson(trace.input, root.inputs)) out['labbook.trace.input'] = JSON.stringify(trace.input ?? null);
  if (trace.output === undefined) {
    if (root.outputs !== undefined) out['labbook.trace.no_output'] = true; // else the root's outputs would become the trace's
  } else if (!sameJson(trace.output, root.outputs)) {
    out['labbook.trace.output'] = JSON.stringify(trace.output);
  }
  if (trace.expected !== undefined) out['labbook.trace.expected'] = JSON.stringify(trace.expected);
  if (trace.tags.length > 0) out['labbook.trace.tags'] = trace.tags;
  if (trace.metadata !== undefined) out['labbook.trace.metadata'] = JSON.stringify(trace.metadata);
  out['labbook.trace.status'] = trace.status;
  if (trace.error !== undefined) out['labbook.trace.error'] = trace.error;
  out['labbook.trace.start'] = trace.start;
  out['labbook.trace.end'] = trace.end;
  return out;
}

function placeholderSpan(trace: Trace): Span {
  return {
    id: 'placeholder',
    parentId: null,
    name: 'labbook.trace',
    type: 'UNKNOWN',
    start: trace.start,
    end: trace.end,
    status: trace.status,
    attributes: { 'labbook.synthetic': true },
  };
}

/** The earliest-starting span without a parent (or the first span, if every span has one). */
function pickRoot(spans: readonly Span[]): Span {
  let root: Span | undefined;
  for (const span of spans) if (span.parentId === null && (!root || span.start < root.start)) root = span;
  return root ?? spans[0]!;
}

function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === undefined || b === undefined) return false;
  return canonicalJson(a) === canonicalJson(b);
}
