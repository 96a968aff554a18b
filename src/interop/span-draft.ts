import type { Span, SpanEvent, Status } from '../../schemas/span.ts';
import type { ImportWarning, ReportBuilder } from './import-report.ts';
import { spanErrorText } from './span-error.ts';
import { extractSpanSemantics } from './span-semantics.ts';
import type { SpanDraft } from './trace-assembly.ts';

/** A span as every source format states it, before Labbook reads its conventions. */
export interface RawSpan {
  traceId: string;
  spanId: string;
  parentId: string | null;
  name: string;
  start: number;
  end: number;
  status: Status;
  statusMessage?: unknown;
  attributes: Record<string, unknown>;
  events: SpanEvent[];
  /** OpenTelemetry's kind (`SERVER`, `CLIENT`…), when the format has one. */
  otelKind?: string;
  /** The kind the writer normally gives a span of its type: a different one is kept as `otel.span.kind`. */
  usualOtelKind?: (type: Span['type']) => string;
}

export interface DraftOptions {
  /** False when `mlflow.*` values are already decoded (the MLflow importer decodes every value). */
  mlflowValuesEncoded?: boolean;
}

/**
 * Reads a raw span through `extractSpanSemantics` into a Labbook span ready to be assembled
 * into its trace, counting it and warning about kinds no convention defines.
 */
export function draftSpan(raw: RawSpan, where: Omit<ImportWarning, 'message'>, report: ReportBuilder, options: DraftOptions = {}): SpanDraft {
  const semantics = extractSpanSemantics({ attributes: raw.attributes, events: raw.events, mlflowValuesEncoded: options.mlflowValuesEncoded !== false });
  const label = `trace ${raw.traceId}: span ${raw.spanId}`;
  if (semantics.unknownKind) {
    const { key, value } = semantics.unknownKind;
    report.mapped.unknownKinds++;
    report.warn(`unknown-kind:${key}=${value}`, { ...where, message: `${label}: ${key} "${value}" is not a kind Labbook knows; typed UNKNOWN (the value is kept as an attribute)` }, `${key} "${value}"`);
  }
  for (const problem of semantics.problems) report.warn('semantics', { ...where, message: `${label}: ${problem}` }, 'attribute');

  const usual = raw.usualOtelKind ? raw.usualOtelKind(semantics.type) : 'INTERNAL';
  if (raw.otelKind !== undefined && raw.otelKind !== usual && raw.otelKind !== 'UNSPECIFIED') semantics.attributes['otel.span.kind'] ??= raw.otelKind;

  const span: Span = { id: raw.spanId, parentId: raw.parentId, name: raw.name.slice(0, 1000), type: semantics.type, start: raw.start, end: raw.end, status: raw.status };
  if (raw.status === 'error') {
    const error = spanErrorText(raw.statusMessage, raw.events);
    if (error !== undefined) span.error = error;
  }
  if (semantics.inputs !== undefined) span.inputs = semantics.inputs;
  if (semantics.outputs !== undefined) span.outputs = semantics.outputs;
  if (hasKeys(semantics.attributes)) span.attributes = semantics.attributes;
  if (semantics.events.length > 0) span.events = semantics.events;
  if (semantics.model !== undefined) span.model = semantics.model;
  if (semantics.usage) span.usage = semantics.usage;
  if (semantics.cost) span.cost = semantics.cost;
  if (!semantics.synthetic) report.countSpan(semantics.type, semantics.kindSource);

  const draft: SpanDraft = { span, file: where.file };
  if (where.line !== undefined) draft.line = where.line;
  if (semantics.originalId !== undefined) draft.originalId = semantics.originalId;
  if (semantics.synthetic) draft.synthetic = true;
  if (hasKeys(semantics.trace)) draft.trace = semantics.trace;
  if (semantics.scores.length > 0) draft.scores = semantics.scores;
  return draft;
}

function hasKeys(object: object): boolean {
  for (const _ in object) return true;
  return false;
}
