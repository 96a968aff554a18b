import type { SpanEvent, SpanType, Status } from '../../../schemas/span.ts';
import type { Trace } from '../../../schemas/trace.ts';
import { FileFormatError } from '../../errors/index.ts';
import { normaliseId } from '../ids.ts';
import { ReportBuilder, type ImportResult } from '../import-report.ts';
import { isRecord } from '../json-value.ts';
import { nanosToMs } from '../nanos.ts';
import { checkInputBounds } from '../read-json-input.ts';
import { draftSpan } from '../span-draft.ts';
import { addSpan, assembleTrace, type DatasetExample, type TraceDraft, type Where } from '../trace-assembly.ts';
import { decodeAttributes } from './any-value.ts';
import { defaultOtelKind, LABBOOK_SCOPE, OTEL_SPAN_KINDS } from './otel-span-kind.ts';

/**
 * Groups OTLP spans into Labbook traces as requests are added. Spans of one trace may arrive
 * in several requests (a batch exporter splits them), so traces are built only at `finish()`.
 */
interface OtlpCollectorOptions {
  /** The run's dataset by line, for traces that name their example by `labbook.example.line`. */
  datasetLine?: (line: number) => DatasetExample | undefined;
  /** Told of every span added: its trace, and whether it is a root (no parent). */
  onSpan?: (traceId: string, isRoot: boolean) => void;
}

export class OtlpCollector {
  readonly report: ReportBuilder;
  readonly #drafts = new Map<string, TraceDraft>();
  readonly #strings = new Map<string, string>();
  readonly #options: OtlpCollectorOptions;

  constructor(report = new ReportBuilder(), options: OtlpCollectorOptions = {}) {
    this.report = report;
    this.#options = options;
  }

  /**
   * Builds one trace from the spans seen so far and forgets them; undefined when none were seen.
   * `built`: what `build` made of the same spans (no span added since), taken as it is.
   */
  take(traceId: string, built?: Trace): Trace | undefined {
    const draft = this.#drafts.get(traceId);
    if (!draft) return undefined;
    this.#drafts.delete(traceId);
    if (!built) return assembleTrace(draft, this.report);
    this.report.countTrace(built);
    return built;
  }

  /**
   * Builds one trace from the spans seen so far and keeps them, for `take` to use later if no
   * span comes meanwhile. Undefined when none were seen, or when building it warned of
   * anything (a repair, a missing input): such a trace is built again when taken, so that its
   * warnings are reported once, then.
   */
  build(traceId: string): Trace | undefined {
    const draft = this.#drafts.get(traceId);
    if (!draft) return undefined;
    const report = new ReportBuilder();
    const trace = assembleTrace(draft, report);
    return report.warned ? undefined : trace;
  }

  /** Forgets a trace's spans without building it; returns how many there were. */
  discard(traceId: string): number {
    const count = this.#drafts.get(traceId)?.spans.length ?? 0;
    this.#drafts.delete(traceId);
    return count;
  }

  /** The traces with spans not yet built, in the order their first span arrived. */
  pendingTraceIds(): string[] {
    return [...this.#drafts.keys()];
  }

  /**
   * Adds one `ExportTraceServiceRequest` (`{ resourceSpans: [...] }`), or an array of them.
   * Throws a `FileFormatError` naming the file (and line) when the value is not OTLP.
   *
   * `consume` says the request was parsed for this call alone: each raw span is then removed
   * from it as soon as it is read. A JSON Lines record holds a thousand spans or so, and while
   * it is read, every young-generation collection would otherwise copy all of them again.
   */
  addRequest(request: unknown, where: Where, options: { consume?: boolean } = {}): void {
    let lastResource: Record<string, unknown> | undefined;
    let resource: Record<string, unknown> = {};
    for (const { resourceSpan, scopeSpan, spans } of spanLists(request, where)) {
      if (resourceSpan !== lastResource) {
        lastResource = resourceSpan;
        resource = decodeAttributes(isRecord(resourceSpan.resource) ? resourceSpan.resource.attributes : undefined);
      }
      const scope = (scopeSpan.scope ?? scopeSpan.instrumentationLibrary) as { name?: unknown } | undefined;
      const fromLabbook = isRecord(scope) && scope.name === LABBOOK_SCOPE;
      const metadata =
        !fromLabbook && typeof resource['service.name'] === 'string' ? { 'service.name': resource['service.name'] } : undefined;
      for (let i = 0; i < spans.length; i++) {
        const raw = spans[i];
        if (options.consume) spans[i] = undefined;
        if (isRecord(raw)) this.#addSpan(raw, where, metadata, fromLabbook);
      }
    }
  }

  /** Builds every trace seen so far, in the order their first span arrived. */
  finish(): Trace[] {
    const traces: Trace[] = [];
    for (const draft of this.#drafts.values()) traces.push(assembleTrace(draft, this.report));
    this.#drafts.clear();
    return traces;
  }

  /**
   * One copy of each span name and model name: JSON.parse makes a new string for every
   * occurrence of "chat gpt-4o-mini", and a million spans hold them all. Bounded in count and
   * length, so an input of unique or long names costs a lookup each and no more memory.
   */
  #intern(text: string): string {
    if (text.length > 200) return text;
    const known = this.#strings.get(text);
    if (known !== undefined) return known;
    if (this.#strings.size < 10_000) this.#strings.set(text, text);
    return text;
  }

  #addSpan(raw: Record<string, unknown>, where: Where, metadata: Record<string, unknown> | undefined, fromLabbook: boolean): void {
    const report = this.report;
    const traceId = spanTraceId(raw.traceId ?? raw.trace_id);
    const spanIdRaw = normaliseId(raw.spanId ?? raw.span_id);
    if (traceId === MISSING_TRACE_ID) {
      report.warn(
        'no-trace-id',
        { ...where, message: `span ${spanIdRaw ?? '?'} ("${String(raw.name ?? '')}") has no traceId; grouped into trace "${traceId}"` },
        'span without traceId',
      );
    }
    let draft = this.#drafts.get(traceId);
    if (!draft) {
      draft = {
        id: traceId,
        spans: [],
        sources: [],
        scores: [],
        file: where.file,
        ...(where.line !== undefined ? { line: where.line } : {}),
        ...(metadata ? { metadata } : {}),
      };
      if (this.#options.datasetLine) draft.datasetLine = this.#options.datasetLine;
      this.#drafts.set(traceId, draft);
    }
    let spanId = spanIdRaw;
    if (spanId === null) {
      spanId = `missing-span-id-${draft.spans.length + 1}`;
      report.warn(
        'no-span-id',
        { ...where, message: `a span of trace ${traceId} ("${String(raw.name ?? '')}") has no spanId; imported as ${spanId}` },
        'span without spanId',
      );
    }

    let start = nanosToMs(raw.startTimeUnixNano ?? raw.start_time_unix_nano);
    let end = nanosToMs(raw.endTimeUnixNano ?? raw.end_time_unix_nano);
    if (start === undefined || end === undefined) {
      report.warn(
        'no-time',
        {
          ...where,
          message: `span ${spanId} of trace ${traceId} has no ${start === undefined ? 'start' : 'end'} time; set to its ${start === undefined ? 'end' : 'start'} time`,
        },
        'span without times',
      );
      start ??= end ?? 0;
      end ??= start;
    }

    const attributes = decodeAttributes(raw.attributes);
    if (Array.isArray(raw.links) && raw.links.length > 0) {
      attributes['otel.links'] = raw.links
        .filter(isRecord)
        .map((link) => ({ traceId: normaliseId(link.traceId ?? link.trace_id), spanId: normaliseId(link.spanId ?? link.span_id) }));
    }
    let events: SpanEvent[] = NO_EVENTS;
    if (Array.isArray(raw.events) && raw.events.length > 0) {
      events = [];
      for (const event of raw.events) {
        if (!isRecord(event)) continue;
        const decoded: SpanEvent = {
          name: typeof event.name === 'string' ? event.name : '',
          time: nanosToMs(event.timeUnixNano ?? event.time_unix_nano) ?? start,
        };
        const eventAttributes = decodeAttributes(event.attributes);
        if (Object.keys(eventAttributes).length > 0) decoded.attributes = eventAttributes;
        events.push(decoded);
      }
    }
    const status = isRecord(raw.status) ? raw.status : undefined;
    const drafted = draftSpan(
      {
        traceId,
        spanId,
        parentId: normaliseId(raw.parentSpanId ?? raw.parent_span_id),
        name: typeof raw.name === 'string' ? this.#intern(raw.name) : '',
        start,
        end,
        status: statusOf(status?.code),
        statusMessage: status?.message,
        attributes,
        events,
        otelKind: otelKindName(raw.kind),
        // Labbook's exporter writes CLIENT for model calls; other writers' usual kind is INTERNAL.
        usualOtelKind: fromLabbook ? labbookOtelKind : undefined,
      },
      where,
      report,
    );
    if (drafted.span.model !== undefined) drafted.span.model = this.#intern(drafted.span.model);
    addSpan(draft, drafted, where);
    this.#options.onSpan?.(traceId, drafted.span.parentId === null);
  }
}

/**
 * Each scope's list of spans in a request in OTLP's JSON shape (or an array of requests), with
 * the resource and scope they came under, as every reader of the shape walks it: the JSON
 * mapping's camelCase, the snake_case some encoders write, and the older
 * `instrumentationLibrarySpans`. Throws a FileFormatError (notOtlp) for a value that is not a request.
 */
function* spanLists(
  request: unknown,
  where: Where,
): Generator<{ resourceSpan: Record<string, unknown>; scopeSpan: Record<string, unknown>; spans: unknown[] }> {
  if (Array.isArray(request)) {
    for (const item of request) yield* spanLists(item, where);
    return;
  }
  const resourceSpans = isRecord(request) ? (request.resourceSpans ?? request.resource_spans) : undefined;
  if (!Array.isArray(resourceSpans)) throw notOtlp(request, where);
  for (const resourceSpan of resourceSpans) {
    if (!isRecord(resourceSpan)) continue;
    const scopes = resourceSpan.scopeSpans ?? resourceSpan.scope_spans ?? resourceSpan.instrumentationLibrarySpans;
    if (!Array.isArray(scopes)) continue;
    for (const scopeSpan of scopes) {
      if (isRecord(scopeSpan) && Array.isArray(scopeSpan.spans)) yield { resourceSpan, scopeSpan, spans: scopeSpan.spans };
    }
  }
}

/**
 * The trace id of each span of a request in OTLP's JSON shape, as `addRequest` reads them (the
 * receiver answers a JSON request with these, and collects it after). Throws a FileFormatError
 * for a value that is not OTLP.
 */
export function spanTraceIdsOf(request: unknown, where: Where): unknown[] {
  const ids: unknown[] = [];
  for (const { spans } of spanLists(request, where)) {
    for (const raw of spans) if (isRecord(raw)) ids.push(raw.traceId ?? raw.trace_id);
  }
  return ids;
}

/** The trace a span with none is grouped into (with a warning). */
const MISSING_TRACE_ID = 'missing-trace-id';

/** The trace a span belongs to, from its `traceId` as any encoding writes it. */
export function spanTraceId(raw: unknown): string {
  return normaliseId(raw) ?? MISSING_TRACE_ID;
}

/** Imports OTLP requests already in memory (a test, or an HTTP body); `file` names them in warnings. */
export function importOtlpRequests(requests: readonly unknown[], file = '<memory>'): ImportResult {
  const collector = new OtlpCollector();
  requests.forEach((request) => {
    checkInputBounds(request, file); // the collector's walk recurses: depth is checked first
    collector.addRequest(request, { file });
  });
  return { traces: collector.finish(), report: collector.report.finish() };
}

/** Shared by every span without events; never changed (the semantics reader copies what it keeps). */
const NO_EVENTS: SpanEvent[] = [];

function labbookOtelKind(type: SpanType): string {
  return OTEL_SPAN_KINDS[defaultOtelKind(type)] ?? 'INTERNAL';
}

function statusOf(code: unknown): Status {
  if (code === 2 || code === 'STATUS_CODE_ERROR' || code === '2') return 'error';
  if (code === 1 || code === 'STATUS_CODE_OK' || code === '1') return 'ok';
  return 'unset';
}

function otelKindName(kind: unknown): (typeof OTEL_SPAN_KINDS)[number] | undefined {
  if (typeof kind === 'number') return OTEL_SPAN_KINDS[kind];
  if (typeof kind === 'string') {
    const name = kind.replace(/^SPAN_KIND_/, '');
    return (OTEL_SPAN_KINDS as readonly string[]).includes(name) ? (name as (typeof OTEL_SPAN_KINDS)[number]) : undefined;
  }
  return undefined;
}

/** Says what the value looks like instead, so a user who picked the wrong `--format` knows. */
function notOtlp(value: unknown, where: Where): FileFormatError {
  let hint = '';
  if (isRecord(value)) {
    const keys = Object.keys(value);
    if ('info' in value && 'data' in value) hint = ' (it looks like an MLflow trace: use --format mlflow)';
    else
      hint =
        keys.length > 0
          ? ` (found ${keys
              .slice(0, 5)
              .map((key) => JSON.stringify(key))
              .join(', ')})`
          : ' (found an empty object)';
  } else {
    hint = ` (found ${value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value})`;
  }
  return new FileFormatError(
    where.line !== undefined ? { file: where.file, line: where.line } : { file: where.file },
    `not OTLP JSON: expected an object with "resourceSpans"${hint}`,
  );
}
