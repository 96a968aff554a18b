import type { RunMetrics } from '../../schemas/metrics.ts';
import type { Trace } from '../../schemas/trace.ts';
import { createAggregator } from '../aggregate/aggregator.ts';
import { FileFormatError } from '../errors/index.ts';
import { checkSpanTree } from './span-tree.ts';

/** What a tree already checked has: shared, never changed. */
const NO_PROBLEMS: ReturnType<typeof checkSpanTree> = [];

/** At most this many problems are kept in full; the rest are counted. */
const MAX_REPORTED = 50;

/** What sealing counts of a run's traces (run.json's `counts`). */
interface TraceCounts {
  traces: number;
  errors: number;
  spans: number;
  scores: number;
}

/** What sealing learns of a run's traces, from the file or from the process that wrote it. */
export interface Tally {
  metrics: RunMetrics;
  counts: TraceCounts;
  /** The first MAX_REPORTED, of `errorCount`. */
  errors: FileFormatError[];
  errorCount: number;
  /** The first MAX_REPORTED, of `warningCount`. */
  warnings: string[];
  warningCount: number;
  plainBytes: number;
  /** Of a plain file left plain, hashed by the parse (a compressed one is hashed with its chunks). */
  plainSha256?: string;
}

/**
 * Sums parsed traces as sealing records them: a span tree broken beyond orphans is an error and
 * the trace is left out; orphans are warnings; the rest are aggregated into metrics and counts.
 * One per seal's parse, or per live run followed while it is written (TraceFollower).
 */
export class TraceTally {
  readonly #aggregator = createAggregator();
  readonly #tally: Tally = {
    metrics: createAggregator().result(),
    counts: { traces: 0, errors: 0, spans: 0, scores: 0 },
    errors: [],
    errorCount: 0,
    warnings: [],
    warningCount: 0,
    plainBytes: 0,
  };

  /** `tracesFile`: the file named in problems found in the trace. */
  constructor(private readonly tracesFile: string) {}

  /**
   * Counts a trace; false when its span tree is broken beyond orphans (an error, and left out).
   * `treeChecked`: the trace was built by assembleTrace, which repairs every duplicate id,
   * orphan and cycle, so the tree is not walked again (received and imported traces).
   */
  add(trace: Trace, treeChecked = false): boolean {
    const problems = treeChecked ? NO_PROBLEMS : checkSpanTree(trace);
    const fatal = problems.filter((p) => p.kind !== 'orphan-span');
    if (fatal.length > 0) {
      for (const p of fatal) this.error(new FileFormatError({ file: this.tracesFile, field: `trace ${trace.id}` }, p.message));
      return false;
    }
    for (const p of problems) this.warn(`${this.tracesFile}: trace "${trace.id}": ${p.message}`);
    this.#aggregator.add(trace);
    const counts = this.#tally.counts;
    counts.traces++;
    if (trace.status === 'error') counts.errors++;
    counts.spans += trace.spans.length;
    counts.scores += trace.scores.length;
    return true;
  }

  error(error: FileFormatError): void {
    if (this.#tally.errorCount++ < MAX_REPORTED) this.#tally.errors.push(error);
  }

  warn(text: string): void {
    if (this.#tally.warningCount++ < MAX_REPORTED) this.#tally.warnings.push(text);
  }

  /** Plain bytes read, for the seal's check that the file did not grow meanwhile. */
  read(bytes: number): void {
    this.#tally.plainBytes += bytes;
  }

  result(plainSha256?: string): Tally {
    return { ...this.#tally, metrics: this.#aggregator.result(), ...(plainSha256 ? { plainSha256 } : {}) };
  }
}
