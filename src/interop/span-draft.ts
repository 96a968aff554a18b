import type { Span, SpanEvent, Status } from '../../schemas/span.ts';
import type { ImportWarning, ReportBuilder } from './import-report.ts';
import { spanErrorText } from './span-error.ts';
import { extractSpanSemantics } from './span-semantics.ts';
import type { SpanDraft, SpanNotes } from './trace-assembly.ts';
import { formatGap } from './format-gap.ts';

/** A span as every source format states it, before Labbook reads its conventions. */
interface RawSpan {
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

interface DraftOptions {
  /** False when `mlflow.*` values are already decoded (the MLflow importer decodes every value). */
  mlflowValuesEncoded?: boolean;
}

/**
 * Reads a raw span through `extractSpanSemantics` into a Labbook span ready to be assembled
 * into its trace, counting it and warning about kinds no convention defines.
 */
export function draftSpan(
  raw: RawSpan,
  where: Omit<ImportWarning, 'message'>,
  report: ReportBuilder,
  options: DraftOptions = {},
): SpanDraft {
  const semantics = extractSpanSemantics({
    attributes: raw.attributes,
    events: raw.events,
    mlflowValuesEncoded: options.mlflowValuesEncoded !== false,
  });
  if (semantics.unknownKind) {
    const { key, value } = semantics.unknownKind;
    report.mapped.unknownKinds++;
    report.warn(
      `unknown-kind:${key}=${value}`,
      {
        ...where,
        message: `trace ${raw.traceId}: span ${raw.spanId}: ${key} "${value}" is not a kind Labbook knows; typed UNKNOWN (the value is kept as an attribute)`,
      },
      `${key} "${value}"`,
    );
  }
  for (const problem of semantics.problems)
    report.warn('semantics', { ...where, message: `trace ${raw.traceId}: span ${raw.spanId}: ${problem}` }, 'attribute');

  // Another tool's clock or a bug there can end a span before it starts: the span is kept,
  // instantaneous, rather than refused with its trace (the schema takes no negative duration).
  let end = raw.end;
  if (end < raw.start) {
    report.mapped.endsBeforeStart++;
    report.warn(
      'end-before-start',
      {
        ...where,
        message: `trace ${raw.traceId}: span ${raw.spanId} ends ${formatGap(raw.start - end)} before it starts; its end was set to its start`,
      },
      'span ending before its start',
    );
    end = raw.start;
  }

  let attributeCount = semantics.attributeCount;
  const usual = raw.usualOtelKind ? raw.usualOtelKind(semantics.type) : 'INTERNAL';
  if (
    raw.otelKind !== undefined &&
    raw.otelKind !== usual &&
    raw.otelKind !== 'UNSPECIFIED' &&
    semantics.attributes['otel.span.kind'] === undefined
  ) {
    semantics.attributes['otel.span.kind'] = raw.otelKind;
    attributeCount++;
  }

  // Every span gets the same shape, absent fields undefined (JSON leaves them out): millions
  // of objects of one hidden class are cheaper to build and to collect than a dozen shapes.
  const span: Span = {
    id: raw.spanId,
    parentId: raw.parentId,
    name: raw.name.length > 1000 ? raw.name.slice(0, 1000) : raw.name,
    type: semantics.type,
    start: raw.start,
    end,
    status: raw.status,
    error: raw.status === 'error' ? spanErrorText(raw.statusMessage, raw.events) : undefined,
    inputs: semantics.inputs,
    outputs: semantics.outputs,
    attributes: attributeCount > 0 ? semantics.attributes : undefined,
    events: semantics.events.length > 0 ? semantics.events : undefined,
    model: semantics.model,
    usage: semantics.usage,
    cost: semantics.cost,
  };
  if (!semantics.synthetic) report.countSpan(semantics.type, semantics.kindSource);
  const { originalId, synthetic, trace, scores } = semantics;
  if (originalId === undefined && !synthetic && scores.length === 0 && !hasKeys(trace)) return { span };
  const notes: SpanNotes = {};
  if (originalId !== undefined) notes.originalId = originalId;
  if (synthetic) notes.synthetic = true;
  if (hasKeys(trace)) notes.trace = trace;
  if (scores.length > 0) notes.scores = scores;
  return { span, notes };
}

function hasKeys(object: object): boolean {
  for (const _ in object) return true;
  return false;
}
