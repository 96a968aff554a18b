import type { Trace } from '../../../schemas/trace.ts';
import { OtlpCollector } from './import-otlp.ts';
import { ReportBuilder } from '../import-report.ts';
import type { DatasetExample, Where } from '../trace-assembly.ts';

interface LiveTracesOptions {
  /** How long a trace whose root has ended waits for more spans before it is written. */
  graceMs: number;
  /** Writes one finished trace into the run. */
  onTrace: (trace: Trace) => void;
  /** One line for the run's log (late spans, mapping warnings, traces written without a root). */
  onLog: (line: string) => void;
  datasetLine?: (line: number) => DatasetExample | undefined;
  /** Spans held at most, across the traces in flight: beyond it a request is refused for now. */
  maxPendingSpans?: number;
  /** Finished trace ids remembered to recognise late spans. */
  rememberTraces?: number;
  /**
   * The clock `graceMs` is counted on: performance.now() by default. A file import counts
   * spans read instead, so "quiet for the grace period" means "no span of it among the next
   * `graceMs` spans" and the result does not depend on how fast the disk is.
   */
  now?: () => number;
  /** Says how long a written trace had been quiet, in the late-span line (default: "… ms"). */
  graceText?: string;
  /**
   * Collects the mapping's counts and warnings (an import prints them at the end); without
   * it, each warning becomes a log line as it comes.
   */
  report?: ReportBuilder;
}

interface AddResult {
  accepted: number;
  /** Spans refused, with why: they belong to a trace already written. */
  rejected: number;
  /** How many traces the rejected spans belong to. */
  lateTraces: number;
  message?: string;
}

interface Pending {
  spans: number;
  lastSpanAt: number;
  rootEnded: boolean;
}

/**
 * Traces assembled from OTLP requests as they arrive, written once complete. OpenTelemetry
 * exports a span when it ends and children end before their parent, so a trace is complete
 * when its root span has arrived, give or take a child that ends late: it is written once its
 * root is in and no span of it has arrived for `graceMs`, and at the latest by `flush()` when
 * the command exits. A span of a trace already written is never dropped in silence: it is
 * refused (the exporter hears it as `partial_success`) and logged. Memory holds only the
 * traces in flight.
 */
export class LiveTraces {
  readonly #options: LiveTracesOptions;
  readonly #collector: OtlpCollector;
  readonly #report: ReportBuilder;
  readonly #pending = new Map<string, Pending>();
  readonly #written = new Set<string>();
  #pendingSpans = 0;
  #late = new Map<string, number>();
  readonly counts = { spans: 0, traces: 0, lateSpans: 0, requests: 0 };

  constructor(options: LiveTracesOptions) {
    this.#options = options;
    this.#report = options.report ?? new ReportBuilder();
    this.#collector = new OtlpCollector(this.#report, {
      ...(options.datasetLine ? { datasetLine: options.datasetLine } : {}),
      onSpan: (traceId, isRoot) => this.#onSpan(traceId, isRoot),
    });
  }

  /** Whether a request of `spans` more spans would overflow what the receiver holds. */
  full(spans: number): boolean {
    return this.#pendingSpans + spans > (this.#options.maxPendingSpans ?? 2_000_000);
  }

  /**
   * Adds one decoded `ExportTraceServiceRequest`; throws a FileFormatError when it is not OTLP.
   * `consume`: the request was decoded for this call alone and may be emptied as it is read.
   */
  add(request: unknown, source: string | Where, options: { consume?: boolean } = {}): AddResult {
    this.counts.requests++;
    const before = this.counts.spans;
    this.#collector.addRequest(request, typeof source === 'string' ? { file: source } : source, options);
    let rejected = 0;
    const lateTraces: string[] = [];
    for (const [traceId, count] of this.#late) {
      this.#collector.discard(traceId);
      rejected += count;
      lateTraces.push(traceId);
      this.#options.onLog(
        `${count} span${count === 1 ? '' : 's'} of trace ${traceId} arrived after the trace was written (${this.#options.graceText ?? `its root had ended ${this.#options.graceMs} ms before`}); not recorded`,
      );
    }
    this.#late.clear();
    this.counts.lateSpans += rejected;
    this.#logWarnings();
    const accepted = this.counts.spans - before;
    return rejected > 0
      ? {
          accepted,
          rejected,
          lateTraces: lateTraces.length,
          message: `${rejected} span(s) of ${lateTraces.length} trace(s) arrived after their trace was written: ${lateTraces.slice(0, 3).join(', ')}`,
        }
      : { accepted, rejected, lateTraces: 0 };
  }

  /** Writes the traces whose root has ended and that have been quiet for the grace period. */
  sweep(): void {
    const now = this.#now();
    for (const [traceId, pending] of this.#pending) {
      if (pending.rootEnded && now - pending.lastSpanAt >= this.#options.graceMs) this.#write(traceId);
    }
    this.#logWarnings();
  }

  /** Writes every trace in flight: no more spans will come (the command exited, the input ended). */
  flush(when = 'when the command exited'): void {
    for (const [traceId, pending] of this.#pending) {
      if (!pending.rootEnded)
        this.#options.onLog(
          `trace ${traceId} had no root span ${when} (its root never ended, or was never exported); written with its top spans as roots`,
        );
      this.#write(traceId);
    }
    this.#logWarnings();
  }

  get pendingTraces(): number {
    return this.#pending.size;
  }

  #onSpan(traceId: string, isRoot: boolean): void {
    if (this.#written.has(traceId)) {
      this.#late.set(traceId, (this.#late.get(traceId) ?? 0) + 1);
      return;
    }
    this.counts.spans++;
    this.#pendingSpans++;
    let pending = this.#pending.get(traceId);
    if (!pending) {
      pending = { spans: 0, lastSpanAt: 0, rootEnded: false };
      this.#pending.set(traceId, pending);
    }
    pending.spans++;
    pending.lastSpanAt = this.#now();
    if (isRoot) pending.rootEnded = true;
  }

  #write(traceId: string): void {
    const pending = this.#pending.get(traceId);
    this.#pending.delete(traceId);
    this.#pendingSpans -= pending?.spans ?? 0;
    this.#remember(traceId);
    const trace = this.#collector.take(traceId);
    if (!trace) return;
    this.counts.traces++;
    this.#options.onTrace(trace);
  }

  #remember(traceId: string): void {
    this.#written.add(traceId);
    if (this.#written.size > (this.#options.rememberTraces ?? 100_000)) this.#written.delete(this.#written.values().next().value!);
  }

  #logWarnings(): void {
    if (this.#options.report) return;
    for (const warning of this.#report.drainWarnings()) this.#options.onLog(warning.message);
  }

  #now(): number {
    return this.#options.now ? this.#options.now() : performance.now();
  }
}
