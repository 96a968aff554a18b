import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { FileFormatError } from '../errors/index.ts';
import { DEFAULT_MAX_LINE_BYTES, splitJsonlLines } from './jsonl-reader.ts';
import { parseTraceLine } from './parse-trace.ts';
import { repeatedTraceId } from './run-reader.ts';
import { TraceTally, type Tally } from './trace-tally.ts';

/**
 * Follows a live run's `traces.jsonl` while another process (the command `labbook run` or the
 * action started) appends to it, and tallies each whole line as sealing would: parsed, checked,
 * aggregated, hashed. Sealing then reads only what came after the last poll, and takes the tally
 * when the file's digest, computed for `plainDigest` anyway, is that of the bytes followed;
 * a byte changed behind the follower sends it back to the full parse. Parsing a file another
 * process wrote was the part of sealing still over twice the time of reading it; this does it
 * while the command runs, a few lines at a time.
 *
 * A line is taken once its newline is there, so a line half written is read at the next poll.
 * Anything the follower cannot follow (a read error, a line longer than a trace may be) makes it
 * give up: sealing then parses the file as if it had never been followed.
 */
export class TraceFollower {
  readonly #file: string;
  readonly #tally: TraceTally;
  readonly #hash = createHash('sha256');
  readonly #firstLineOf = new Map<string, number>();
  /** Bytes taken: up to and including the last newline read. */
  #offset = 0;
  /** Line ends taken, blank lines included: how lines are numbered. */
  #lines = 0;
  #stopped = false;
  #finished = false;
  #queue: Promise<void> = Promise.resolve();

  constructor(file: string) {
    this.#file = file;
    this.#tally = new TraceTally(file);
  }

  /** Reads and tallies the whole lines appended since the last poll (one poll at a time). */
  poll(): Promise<void> {
    this.#queue = this.#queue.then(() => this.#read(false));
    return this.#queue;
  }

  /** Reads the rest, a last line without its newline included: the writer has exited. */
  finish(): Promise<void> {
    this.#queue = this.#queue.then(() => this.#read(true));
    return this.#queue;
  }

  /** Line ends read so far. */
  get linesRead(): number {
    return this.#lines;
  }

  /** Stops for good (another writer this follower cannot tell apart joined in, say). */
  abandon(): void {
    this.#stopped = true;
  }

  /** The tally, when the file was followed to its end and its sha256 (hex) is that of the bytes followed. */
  summaryFor(fileSha256: string): Tally | undefined {
    if (this.#stopped || !this.#finished || this.#hash.copy().digest('hex') !== fileSha256) return undefined;
    return this.#tally.result();
  }

  async #read(final: boolean): Promise<void> {
    if (this.#stopped) return;
    try {
      const size = (await stat(this.#file).catch(() => undefined))?.size ?? 0;
      if (size > this.#offset) await this.#take(size, final);
      if (final) this.#finished = true;
    } catch {
      this.#stopped = true; // sealing parses the file itself, and reports what is wrong with it
    }
  }

  async #take(size: number, final: boolean): Promise<void> {
    const source = createReadStream(this.#file, { start: this.#offset, end: size - 1, highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>;
    const lines = splitJsonlLines(this.#wholeLines(source, final), { linesBefore: this.#lines });
    for await (const entry of lines) {
      try {
        const trace = parseTraceLine(entry, this.#file);
        const first = this.#firstLineOf.get(trace.id);
        if (first !== undefined) throw repeatedTraceId(trace.id, { file: this.#file, line: entry.line }, { file: this.#file, line: first });
        this.#firstLineOf.set(trace.id, entry.line);
        this.#tally.add(trace);
      } catch (error) {
        if (!(error instanceof FileFormatError)) throw error;
        this.#tally.error(error);
      }
    }
  }

  /**
   * The bytes of `source` up to its last newline (all of them when `final`), each counted into
   * the digest, the byte total and the line count as it is handed on; the rest is read again
   * at the next poll.
   */
  async *#wholeLines(source: AsyncIterable<Buffer>, final: boolean): AsyncGenerator<Buffer> {
    const held: Buffer[] = [];
    let heldBytes = 0;
    for await (const chunk of source) {
      const lastNewline = chunk.lastIndexOf(10);
      if (lastNewline === -1 && !final) {
        held.push(chunk);
        heldBytes += chunk.length;
        // A line this long is refused by every reader; sealing reports it, by its line.
        if (heldBytes > DEFAULT_MAX_LINE_BYTES) throw new Error('a line longer than a trace may be');
        continue;
      }
      const upTo = final ? chunk.length : lastNewline + 1;
      for (const bytes of [...held, chunk.subarray(0, upTo)]) yield this.#taken(bytes);
      held.length = 0;
      heldBytes = 0;
      if (upTo < chunk.length) {
        held.push(chunk.subarray(upTo));
        heldBytes = chunk.length - upTo;
      }
    }
  }

  #taken(bytes: Buffer): Buffer {
    this.#hash.update(bytes);
    this.#offset += bytes.length;
    this.#tally.read(bytes.length);
    for (let at = bytes.indexOf(10); at !== -1; at = bytes.indexOf(10, at + 1)) this.#lines++;
    return bytes;
  }
}
