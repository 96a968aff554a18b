import { createHash } from 'node:crypto';
import type { Trace } from '../../schemas/trace.ts';
import { TraceTally, type Tally } from './trace-tally.ts';

/**
 * What one process wrote to a run's `traces.jsonl`, summed as it wrote it: the bytes and their
 * sha256, and the tally sealing would make of them (metrics, counts, warnings). Sealing in the
 * same process uses it instead of parsing the file again when the file holds exactly these
 * bytes (same length, same digest, which sealing computes anyway for `plainDigest`): a line
 * another process appended, or a byte changed since, sends it back to the full parse. So does
 * anything the tally cannot say as the parse would: a line appended without its trace, a trace
 * id written twice, a span tree with more than orphans wrong. Received and imported traces were
 * checked against the schema before they were written; parsing them again was most of sealing's
 * time.
 */
export class WrittenTraces {
  #bytes = 0;
  readonly #hash = createHash('sha256');
  readonly #tally: TraceTally;
  readonly #ids = new Set<string>();
  #complete = true;

  /** `file`: the traces.jsonl written, as warnings name it. */
  constructor(file: string) {
    this.#tally = new TraceTally(file);
  }

  /** `bytes` (a line and its newline) were appended, and are `trace` as JSON (see TraceTally.add for `treeChecked`). */
  add(bytes: Buffer, trace: Trace, treeChecked = false): void {
    this.#wrote(bytes);
    if (!this.#complete) return;
    if (this.#ids.has(trace.id)) return this.#giveUp();
    this.#ids.add(trace.id);
    if (!this.#tally.add(trace, treeChecked)) this.#giveUp();
  }

  /** A line was appended whose trace this process did not hold (copied from another file). */
  addUnknown(bytes: Buffer): void {
    this.#wrote(bytes);
    this.#giveUp();
  }

  /** sha256 (hex) of the bytes written so far. */
  get sha256(): string {
    return this.#hash.copy().digest('hex');
  }

  /** The bytes written, for comparing with the file before anything is trusted. */
  get bytes(): number {
    return this.#bytes;
  }

  /**
   * The tally, when every line written is accounted for and the file's own sha256 (hex) is that
   * of the bytes written; otherwise undefined, and the file must be parsed.
   */
  summaryFor(fileSha256: string): Tally | undefined {
    if (!this.#complete || this.sha256 !== fileSha256) return undefined;
    return this.#tally.result();
  }

  #wrote(bytes: Buffer): void {
    this.#hash.update(bytes);
    this.#bytes += bytes.length;
    this.#tally.read(bytes.length);
  }

  #giveUp(): void {
    this.#complete = false;
    this.#ids.clear();
  }
}
