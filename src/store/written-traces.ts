import { createHash } from 'node:crypto';
import type { RunMetrics } from '../../schemas/metrics.ts';
import type { Trace } from '../../schemas/trace.ts';
import { createAggregator } from '../aggregate/aggregator.ts';
import { checkSpanTree } from './span-tree.ts';

/** Warnings kept in full, as sealing keeps them; the rest are counted. */
const MAX_KEPT_WARNINGS = 50;

/** What sealing counts of a run's traces (run.json's `counts`). */
export interface TraceCounts {
  traces: number;
  errors: number;
  spans: number;
  scores: number;
}

/**
 * What one process wrote to a run's `traces.jsonl`, summed as it wrote it: the bytes and their
 * sha256, the metrics, the counts and the span-tree warnings. Sealing in the same process uses
 * it instead of parsing the file again when the file holds exactly these bytes (same length,
 * same digest, which sealing computes anyway for `plainDigest`): a line another process
 * appended, or a byte changed since, sends it back to the full parse. So does anything this
 * summary cannot say as the parse would: a line appended without its trace, a trace id written
 * twice, a span tree with more than orphans wrong. Received and imported traces were checked
 * against the schema before they were written; parsing them again was most of sealing's time.
 */
export class WrittenTraces {
  #bytes = 0;
  readonly #hash = createHash('sha256');
  readonly #aggregator = createAggregator();
  readonly #ids = new Set<string>();
  readonly #counts: TraceCounts = { traces: 0, errors: 0, spans: 0, scores: 0 };
  /** Orphan spans, per trace: warnings the parse would give (the first `MAX_KEPT_WARNINGS`). */
  readonly #warnings: Array<{ trace: string; message: string }> = [];
  #warningCount = 0;
  #complete = true;

  /** `bytes` (a line and its newline) were appended, and are `trace` as JSON. */
  add(bytes: Buffer, trace: Trace): void {
    this.#wrote(bytes);
    if (!this.#complete) return;
    if (this.#ids.has(trace.id)) return this.#giveUp();
    this.#ids.add(trace.id);
    const problems = checkSpanTree(trace);
    if (problems.some((p) => p.kind !== 'orphan-span')) return this.#giveUp();
    for (const p of problems) {
      if (this.#warningCount++ < MAX_KEPT_WARNINGS) this.#warnings.push({ trace: trace.id, message: p.message });
    }
    this.#aggregator.add(trace);
    this.#counts.traces++;
    if (trace.status === 'error') this.#counts.errors++;
    this.#counts.spans += trace.spans.length;
    this.#counts.scores += trace.scores.length;
  }

  /** A line was appended whose trace this process did not hold (copied from another file). */
  addUnknown(bytes: Buffer): void {
    this.#wrote(bytes);
    this.#giveUp();
  }

  /** The bytes written, for comparing with the file before anything is trusted. */
  get bytes(): number {
    return this.#bytes;
  }

  /**
   * The summary, when every line written is accounted for and the file's own sha256 (hex) is
   * that of the bytes written; otherwise undefined, and the file must be parsed.
   */
  summaryFor(fileSha256: string): WrittenSummary | undefined {
    if (!this.#complete || this.#hash.copy().digest('hex') !== fileSha256) return undefined;
    return { metrics: this.#aggregator.result(), counts: { ...this.#counts }, warnings: this.#warnings, warningCount: this.#warningCount };
  }

  #wrote(bytes: Buffer): void {
    this.#hash.update(bytes);
    this.#bytes += bytes.length;
  }

  #giveUp(): void {
    this.#complete = false;
    this.#ids.clear();
    this.#warnings.length = 0;
  }
}

export interface WrittenSummary {
  metrics: RunMetrics;
  counts: TraceCounts;
  warnings: ReadonlyArray<{ trace: string; message: string }>;
  warningCount: number;
}
