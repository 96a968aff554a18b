import type { SpanEvent, Status } from '../../schemas/span.ts';
import type { Trace } from '../../schemas/trace.ts';
import { normaliseId } from './ids.ts';
import { ReportBuilder, type ImportWarning } from './import-report.ts';
import { hrTimeToMs } from './nanos.ts';
import { draftSpan } from './span-draft.ts';
import { addSpan, assembleTrace, type TraceDraft, type Where } from './trace-assembly.ts';

/** `[seconds, nanoseconds]`, OpenTelemetry JS's high-resolution time. */
export type HrTime = [number, number];

export interface SpanContextLike {
  traceId: string;
  spanId: string;
  traceFlags?: number;
  /** True for a parent propagated from another process: its span is not ours to wait for. */
  isRemote?: boolean;
}

/**
 * The parts of `@opentelemetry/sdk-trace-base`'s `ReadableSpan` this exporter reads. Version 1
 * of the SDK names the parent `parentSpanId`, version 2 `parentSpanContext`; both are read.
 */
export interface ReadableSpanLike {
  name: string;
  /** OpenTelemetry JS's `SpanKind`: INTERNAL 0, SERVER 1, CLIENT 2, PRODUCER 3, CONSUMER 4. */
  kind?: number;
  spanContext(): SpanContextLike;
  parentSpanId?: string;
  parentSpanContext?: SpanContextLike;
  startTime: HrTime;
  endTime: HrTime;
  attributes: Record<string, unknown>;
  /** `SpanStatusCode`: UNSET 0, OK 1, ERROR 2. */
  status: { code: number; message?: string };
  events: ReadonlyArray<{ name: string; time: HrTime; attributes?: Record<string, unknown> }>;
  links?: ReadonlyArray<{ context: SpanContextLike; attributes?: Record<string, unknown> }>;
  resource?: { attributes: Record<string, unknown> };
}

/** `@opentelemetry/core`'s `ExportResult`: code SUCCESS 0, FAILED 1. */
export interface ExportResultLike {
  code: 0 | 1;
  error?: Error;
}

export interface LabbookSpanExporterOptions {
  /** Receives each trace once its root span has been exported (the SDK helper appends it to a run). */
  onTrace: (trace: Trace) => void | Promise<void>;
  /** Receives what the conversion had to repair or could not keep (late spans, orphans, unknown kinds). */
  onWarning?: (warning: ImportWarning) => void;
  /** Finished traces remembered to recognise spans that arrive after their trace was handed over. */
  rememberTraces?: number;
}

const OTEL_JS_KINDS = ['INTERNAL', 'SERVER', 'CLIENT', 'PRODUCER', 'CONSUMER'] as const;
const STATUS: readonly Status[] = ['unset', 'ok', 'error'];
/** Where every span handed to the exporter comes from, as warnings name it. */
const FROM_OTEL: Where = { file: 'otel' };

/**
 * An OpenTelemetry `SpanExporter` (it has the interface's shape, so no OpenTelemetry package is
 * needed to build or test it) that turns finished spans into Labbook traces, reading the same
 * conventions as the OTLP importer: GenAI, OpenInference, MLflow and the Vercel AI SDK's `ai.*`.
 *
 * Spans are grouped by trace id; a trace is handed to `onTrace` when its local root (a span
 * without a parent, or whose parent is remote) is exported. Children end before their parent,
 * so with the SDK's span processors they arrive in the same batch or an earlier one. A span
 * that arrives after its trace was handed over is reported through `onWarning`, not dropped
 * in silence; `forceFlush()` and `shutdown()` hand over traces whose root never came, their
 * top spans made roots, with warnings.
 */
export class LabbookSpanExporter {
  readonly #options: LabbookSpanExporterOptions;
  readonly #pending = new Map<string, { draft: TraceDraft; report: ReportBuilder }>();
  readonly #finished = new Set<string>();
  readonly #inFlight = new Set<Promise<void>>();
  #shutdown = false;

  constructor(options: LabbookSpanExporterOptions) {
    this.#options = options;
  }

  export(spans: readonly ReadableSpanLike[], resultCallback: (result: ExportResultLike) => void): void {
    if (this.#shutdown) {
      resultCallback({ code: 1, error: new Error('the Labbook span exporter is shut down') });
      return;
    }
    const completed: string[] = [];
    try {
      for (const span of spans) {
        const traceId = this.#add(span);
        if (traceId !== undefined && isLocalRoot(span) && !completed.includes(traceId)) completed.push(traceId);
      }
    } catch (error) {
      resultCallback({ code: 1, error: error instanceof Error ? error : new Error(String(error)) });
      return;
    }
    const handed = completed.map((traceId) => this.#handOver(traceId));
    Promise.all(handed).then(
      () => resultCallback({ code: 0 }),
      (error: unknown) => resultCallback({ code: 1, error: error instanceof Error ? error : new Error(String(error)) }),
    );
  }

  /** Hands over every pending trace, finished or not, and waits for `onTrace` to settle. */
  async forceFlush(): Promise<void> {
    const open = [...this.#pending.keys()];
    for (const traceId of open) {
      this.#warn({ file: 'otel', message: `trace ${traceId} was handed over without its root span (flushed before the root ended)` });
    }
    await Promise.all(open.map((traceId) => this.#handOver(traceId)));
    await Promise.all([...this.#inFlight]);
  }

  async shutdown(): Promise<void> {
    await this.forceFlush();
    this.#shutdown = true;
  }

  /** Adds one span to its trace; returns the trace id, or undefined when the span came too late. */
  #add(span: ReadableSpanLike): string | undefined {
    const context = span.spanContext();
    const traceId = normaliseId(context.traceId) ?? 'missing-trace-id';
    const spanId = normaliseId(context.spanId) ?? `missing-span-id`;
    if (this.#finished.has(traceId)) {
      this.#warn({
        file: 'otel',
        message: `span ${spanId} ("${span.name}") of trace ${traceId} ended after its trace was handed over; it is not in the trace`,
      });
      return undefined;
    }
    let entry = this.#pending.get(traceId);
    if (!entry) {
      const serviceName = span.resource?.attributes['service.name'];
      entry = {
        draft: {
          id: traceId,
          spans: [],
          sources: [],
          scores: [],
          file: 'otel',
          ...(typeof serviceName === 'string' ? { metadata: { 'service.name': serviceName } } : {}),
        },
        report: new ReportBuilder(),
      };
      this.#pending.set(traceId, entry);
    }
    const start = hrTimeToMs(span.startTime) ?? 0;
    const end = hrTimeToMs(span.endTime) ?? start;
    const attributes: Record<string, unknown> = { ...span.attributes };
    if (span.links && span.links.length > 0)
      attributes['otel.links'] = span.links.map((link) => ({
        traceId: normaliseId(link.context.traceId),
        spanId: normaliseId(link.context.spanId),
      }));
    const events: SpanEvent[] = span.events.map((event) => {
      const converted: SpanEvent = { name: event.name, time: hrTimeToMs(event.time) ?? end };
      if (event.attributes && Object.keys(event.attributes).length > 0) converted.attributes = { ...event.attributes };
      return converted;
    });
    const parent = span.parentSpanContext ?? (span.parentSpanId ? { traceId, spanId: span.parentSpanId } : undefined);
    const otelKind = span.kind === undefined ? undefined : OTEL_JS_KINDS[span.kind];
    addSpan(
      entry.draft,
      draftSpan(
        {
          traceId,
          spanId,
          parentId: parent ? normaliseId(parent.spanId) : null,
          name: span.name,
          start,
          end,
          status: STATUS[span.status.code] ?? 'unset',
          statusMessage: span.status.message,
          attributes,
          events,
          ...(otelKind ? { otelKind } : {}),
        },
        FROM_OTEL,
        entry.report,
      ),
      FROM_OTEL,
    );
    return traceId;
  }

  #handOver(traceId: string): Promise<void> {
    const entry = this.#pending.get(traceId);
    if (!entry) return Promise.resolve();
    this.#pending.delete(traceId);
    this.#remember(traceId);
    const trace = assembleTrace(entry.draft, entry.report);
    for (const warning of entry.report.finish().warnings) this.#warn(warning);
    const delivery = Promise.resolve()
      .then(() => this.#options.onTrace(trace))
      .finally(() => this.#inFlight.delete(delivery));
    this.#inFlight.add(delivery);
    return delivery;
  }

  #remember(traceId: string): void {
    this.#finished.add(traceId);
    const limit = this.#options.rememberTraces ?? 10_000;
    if (this.#finished.size > limit) this.#finished.delete(this.#finished.values().next().value!);
  }

  #warn(warning: ImportWarning): void {
    this.#options.onWarning?.(warning);
  }
}

function isLocalRoot(span: ReadableSpanLike): boolean {
  if (span.parentSpanContext) return span.parentSpanContext.isRemote === true;
  return !span.parentSpanId;
}
