import type { Trace } from '../../../schemas/trace.ts';
import { errorMessage } from '../../errors/error-message.ts';
import { OtlpCollector, spanTraceId } from './import-otlp.ts';
import { ReportBuilder } from '../import-report.ts';
import type { DatasetExample, Where } from '../trace-assembly.ts';
import { countNoun } from '../../text/count-noun.ts';

interface LiveTracesOptions<Prepared> {
  /** How long a trace whose root has ended waits for more spans before it is written. */
  graceMs: number;
  /** Writes one finished trace into the run, with what `prepare` made of it when it was ready before. */
  onTrace: (trace: Trace, prepared: Prepared | undefined) => void;
  /**
   * Work on a trace that can be done before it is written (its line's JSON, say). Given it, the
   * traces whose root has ended are built ahead (see `prepareAhead`) and handed to it; one that
   * gets another span afterwards is built again. It must have no effect but its result: what it
   * makes may never be written (and `rehearse` throws it away).
   */
  prepare?: (trace: Trace) => Prepared;
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

/** A request decoded after it was answered, with the spans in it that did not decode. */
interface DecodedLater {
  request: unknown;
  failures: readonly string[];
  failedSpans: number;
}

/** Traces `flushInTurns` writes between turns of the event loop: about 5 ms of work on our machines. */
const TRACES_PER_TURN = 64;

/** How long one call of `prepareAhead` works at most, so that a request waits no longer than that for it. */
const PREPARE_AHEAD_MS = 4;

interface Pending<Prepared> {
  spans: number;
  lastSpanAt: number;
  rootEnded: boolean;
  /** The trace built ahead from its spans so far (`prepareAhead`), and what `prepare` made of it. */
  ready?: { trace: Trace; prepared: Prepared };
}

/** A request answered before it was decoded (see `enqueue`). */
interface Queued {
  decode: () => DecodedLater;
  where: Where;
  /** Its spans not refused as late: held, for `full`, until it is decoded. */
  spans: number;
  /** Traces its late spans belong to: refused and logged when it was answered. */
  refused: ReadonlySet<string>;
}

/**
 * Traces assembled from OTLP requests as they arrive, written once complete. OpenTelemetry
 * exports a span when it ends and children end before their parent, so a trace is complete
 * when its root span has arrived, give or take a child that ends late: it is written once its
 * root is in and no span of it has arrived for `graceMs`, and at the latest by `flush()` when
 * the command exits. A span of a trace already written is never dropped in silence: it is
 * refused (the exporter hears it as `partial_success`) and logged. Memory holds only the
 * traces in flight.
 *
 * An agent that runs flat out ends with most of its traces inside their grace period, all
 * written at once when it exits, on one core, while the run waits. Building them (and what
 * `prepare` does) is work that can be done earlier, while the receiver waits for requests:
 * `prepareAhead`.
 */
export class LiveTraces<Prepared = never> {
  readonly #options: LiveTracesOptions<Prepared>;
  readonly #collector: OtlpCollector;
  readonly #report: ReportBuilder;
  readonly #pending = new Map<string, Pending<Prepared>>();
  /** Traces whose root has ended, not built ahead yet (when `prepare` is given). */
  readonly #unprepared = new Set<string>();
  readonly #written = new Set<string>();
  readonly #queue: Queued[] = [];
  #queuedSpans = 0;
  #pendingSpans = 0;
  #late = new Map<string, number>();
  readonly counts = { spans: 0, traces: 0, lateSpans: 0, requests: 0 };

  constructor(options: LiveTracesOptions<Prepared>) {
    this.#options = options;
    this.#report = options.report ?? new ReportBuilder();
    this.#collector = new OtlpCollector(this.#report, {
      ...(options.datasetLine ? { datasetLine: options.datasetLine } : {}),
      onSpan: (traceId, isRoot) => this.#onSpan(traceId, isRoot),
    });
  }

  /** Whether a request of `spans` more spans would overflow what the receiver holds. */
  full(spans: number): boolean {
    return this.#pendingSpans + this.#queuedSpans + spans > (this.#options.maxPendingSpans ?? 2_000_000);
  }

  /**
   * Adds one decoded `ExportTraceServiceRequest`; throws a FileFormatError when it is not OTLP.
   * `consume`: the request was decoded for this call alone and may be emptied as it is read.
   */
  add(request: unknown, source: string | Where, options: { consume?: boolean } = {}): AddResult {
    this.drain(); // requests are read in the order they came
    this.counts.requests++;
    const before = this.counts.spans;
    this.#collector.addRequest(request, whereOf(source), options);
    const late = this.#takeLate(new Set());
    this.#logWarnings();
    return late.rejected > 0
      ? { accepted: this.counts.spans - before, ...late }
      : { accepted: this.counts.spans - before, rejected: 0, lateTraces: 0 };
  }

  /**
   * Takes a request to decode later, knowing only the trace id of each of its spans (read from
   * its framing: `readSpanTraceIds`): enough to answer it now as `add` would, refusing the spans
   * of traces already written. A client that waits for each answer (an exporter's
   * `forceFlush`) goes on while the request is decoded, when no request is being read
   * (`drainOne`), and at the latest before any trace is written (`sweep`, `flush`): so no
   * trace is written without the spans of a request answered before it. A request whose
   * framing read well but whose spans then fail to decode is logged, its spans not recorded.
   */
  enqueue(traceIds: readonly unknown[], decode: () => DecodedLater, source: string): AddResult {
    this.counts.requests++;
    const late = new Map<string, number>();
    // Spans come trace by trace: a span of the same trace as the one before is counted with it.
    let previous: unknown = NO_SPAN_YET;
    let wasWritten = false;
    let traceId = '';
    for (const raw of traceIds) {
      if (raw !== previous) {
        previous = raw;
        traceId = spanTraceId(raw);
        wasWritten = this.#written.has(traceId);
      }
      if (wasWritten) late.set(traceId, (late.get(traceId) ?? 0) + 1);
    }
    let rejected = 0;
    for (const count of late.values()) rejected += count;
    const accepted = traceIds.length - rejected;
    if (accepted > 0) {
      this.#queue.push({ decode, where: { file: source }, spans: accepted, refused: new Set(late.keys()) });
      this.#queuedSpans += accepted;
    }
    for (const [traceId, count] of late) this.#logLate(traceId, count);
    this.counts.lateSpans += rejected;
    return rejected > 0 ? { accepted, rejected, ...lateSummary(rejected, [...late.keys()]) } : { accepted, rejected, lateTraces: 0 };
  }

  /** Requests taken by `enqueue` and not yet decoded. */
  get queued(): number {
    return this.#queue.length;
  }

  /** Decodes and adds the oldest request `enqueue` took; false when there was none. */
  drainOne(): boolean {
    const queued = this.#queue.shift();
    if (!queued) return false;
    this.#queuedSpans -= queued.spans;
    let decoded: DecodedLater;
    try {
      decoded = queued.decode();
    } catch (error) {
      decoded = { request: { resourceSpans: [] }, failures: [errorMessage(error)], failedSpans: queued.spans };
    }
    if (decoded.failures.length > 0) {
      const { failures, failedSpans } = decoded;
      const lost = failedSpans > 0 ? `; ${countNoun(failedSpans, 'span')} not recorded` : '';
      this.#options.onLog(
        `${queued.where.file}, answered once its framing was read, did not decode in full: ${failures.slice(0, 3).join('; ')}${failures.length > 3 ? `; … and ${failures.length - 3} more` : ''}${lost}`,
      );
    }
    try {
      this.#collector.addRequest(decoded.request, queued.where, { consume: true });
    } catch (error) {
      // Its shape was read when it was answered: only a defect can end here. Logged rather
      // than thrown from the receiver's idle work, where nothing would catch it.
      this.#options.onLog(`${queued.where.file}, answered, could not be collected: ${errorMessage(error)}`);
    }
    this.#takeLate(queued.refused);
    this.#logWarnings();
    return true;
  }

  /** Decodes and adds every request `enqueue` took. */
  drain(): void {
    while (this.drainOne());
  }

  /**
   * Builds traces whose root has ended before they are due, oldest first, and hands each to
   * `prepare`, for a few milliseconds at most: work the receiver does while no request is being
   * read, which writing the trace then need not do. True while some are left.
   */
  prepareAhead(): boolean {
    const prepare = this.#options.prepare;
    if (!prepare) return false;
    const until = performance.now() + PREPARE_AHEAD_MS;
    for (const traceId of this.#unprepared) {
      this.#unprepared.delete(traceId);
      const pending = this.#pending.get(traceId)!;
      try {
        const trace = this.#collector.build(traceId);
        if (trace) pending.ready = { trace, prepared: prepare(trace) };
      } catch {
        // Only a defect ends here, from the receiver's idle work where nothing would catch it:
        // the trace is built when it is written, and the defect, if it is one, shows there.
      }
      if (performance.now() >= until) break;
    }
    return this.#unprepared.size > 0;
  }

  /**
   * Reads a request as `add` and `prepareAhead` would, into a collector of its own, and keeps
   * nothing: the receiver rehearses on made-up spans while it waits for its first request (see
   * rehearsal.ts). `prepare` must therefore do nothing beyond making its result.
   */
  rehearse(request: unknown): void {
    const collector = new OtlpCollector(new ReportBuilder());
    collector.addRequest(request, { file: 'rehearsal' }, { consume: true });
    for (const traceId of collector.pendingTraceIds()) {
      const trace = collector.build(traceId);
      if (trace) this.#options.prepare?.(trace);
    }
  }

  /** Whether `drainOne` or `prepareAhead` has anything to do. */
  get hasWorkAhead(): boolean {
    return this.#queue.length > 0 || this.#unprepared.size > 0;
  }

  /** Writes the traces whose root has ended and that have been quiet for the grace period. */
  sweep(): void {
    this.drain();
    const now = this.#now();
    for (const [traceId, pending] of this.#pending) {
      if (pending.rootEnded && now - pending.lastSpanAt >= this.#options.graceMs) this.#write(traceId);
    }
    this.#logWarnings();
  }

  /** Writes every trace in flight: no more spans will come (the command exited, the input ended). */
  flush(when = 'when the command exited'): void {
    this.drain();
    for (const [traceId, pending] of this.#pending) this.#writeUnswept(traceId, pending, when);
    this.#logWarnings();
  }

  /**
   * `flush`, letting the event loop turn every few traces, so that what they are written to can
   * work meanwhile (LiveChunks compresses them on libuv's threads, and gets no further while
   * this thread keeps it from its callbacks). Nothing may add spans until it resolves.
   */
  async flushInTurns(when = 'when the command exited'): Promise<void> {
    this.drain();
    let written = 0;
    for (const [traceId, pending] of this.#pending) {
      this.#writeUnswept(traceId, pending, when);
      if (++written % TRACES_PER_TURN === 0) await new Promise((resolve) => setImmediate(resolve));
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
    if (pending.rootEnded && this.#options.prepare) {
      pending.ready = undefined; // built without this span
      this.#unprepared.add(traceId);
    }
  }

  /**
   * Forgets the spans just collected of traces already written; each trace's are logged, but
   * for those in `refused` (refused and logged when their request was answered).
   */
  #takeLate(refused: ReadonlySet<string>): Pick<AddResult, 'rejected' | 'lateTraces' | 'message'> {
    let rejected = 0;
    const lateTraces: string[] = [];
    for (const [traceId, count] of this.#late) {
      this.#collector.discard(traceId);
      if (refused.has(traceId)) continue;
      rejected += count;
      lateTraces.push(traceId);
      this.#logLate(traceId, count);
    }
    this.#late.clear();
    this.counts.lateSpans += rejected;
    return rejected > 0 ? { rejected, ...lateSummary(rejected, lateTraces) } : { rejected, lateTraces: 0 };
  }

  #logLate(traceId: string, count: number): void {
    this.#options.onLog(
      `${countNoun(count, 'span')} of trace ${traceId} arrived after the trace was written (${this.#options.graceText ?? `its root had ended ${this.#options.graceMs} ms before`}); not recorded`,
    );
  }

  /** Writes a trace at the end, whether or not its grace period has passed, saying if its root never came. */
  #writeUnswept(traceId: string, pending: Pending<Prepared>, when: string): void {
    if (!pending.rootEnded)
      this.#options.onLog(
        `trace ${traceId} had no root span ${when} (its root never ended, or was never exported); written with its top spans as roots`,
      );
    this.#write(traceId);
  }

  #write(traceId: string): void {
    const pending = this.#pending.get(traceId);
    this.#pending.delete(traceId);
    this.#unprepared.delete(traceId);
    this.#pendingSpans -= pending?.spans ?? 0;
    this.#remember(traceId);
    const ready = pending?.ready;
    const trace = this.#collector.take(traceId, ready?.trace);
    if (!trace) return;
    this.counts.traces++;
    this.#options.onTrace(trace, ready?.prepared);
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

/** What no trace id is: the first span of a request is never taken for the one before. */
const NO_SPAN_YET = Symbol('no span yet');

function whereOf(source: string | Where): Where {
  return typeof source === 'string' ? { file: source } : source;
}

function lateSummary(rejected: number, lateTraces: readonly string[]): { lateTraces: number; message: string } {
  return {
    lateTraces: lateTraces.length,
    message: `${countNoun(rejected, 'span')} of ${countNoun(lateTraces.length, 'trace')} arrived after ${lateTraces.length === 1 ? 'the trace was' : 'their traces were'} written: ${lateTraces.slice(0, 3).join(', ')}`,
  };
}
