import { closeSync, fstatSync, fsyncSync, openSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { traceSchema, type Trace, type TraceInput } from '../../schemas/trace.ts';
import { VALUE_LIMITS } from '../../schemas/value-limits.ts';
import { FileFormatError, LabbookError } from '../errors/index.ts';
import { describeZodIssue } from '../json/zod-issue.ts';
import { RUN_FILES } from './layout.ts';
import { LiveChunks } from './live-chunks.ts';
import type { StorageSettings } from './storage-settings.ts';
import { WrittenTraces } from './written-traces.ts';

/**
 * Appends traces to a run's `traces.jsonl`, one line each, written through to the OS as each
 * trace finishes: a crash keeps every finished trace (unless told to `coalesce`, below).
 */
export class TraceWriter {
  readonly file: string;
  /**
   * What this writer appended, summed for sealing (see WrittenTraces): kept only when asked for
   * (`sum`), by a process that seals the run itself. The SDK under `labbook run` does not, and
   * summing costs about half again of what writing a line does.
   */
  readonly written: WrittenTraces | undefined;
  #fd: number | null;
  #count = 0;
  /** Lines handed to the OS: `#count` less those gathered and not yet written (`coalesce`). */
  #linesWritten = 0;
  /** Lines appended and not yet written, when coalescing. */
  readonly #pending: Buffer[] | undefined;
  #pendingBytes = 0;
  #flushScheduled = false;
  /** A coalesced write that failed after its lines were appended: thrown by the next call. */
  #failure: unknown;
  /** The chunks its lines are compressed into as they are written (`compress`), for sealing. */
  readonly liveChunks: LiveChunks | undefined;

  /**
   * `coalesce`: lines are written together, once the current turn of the event loop ends (or a
   * megabyte has gathered, or on `flush`/`close`), not one system call each. For a process that
   * holds what it writes anyway (a receiver writing the traces it assembled, an import): a
   * receiver writing 7,000 traces at a command's exit spent a fifth of that time in the calls.
   * Not for the SDK, whose every trace is on disk once `append` returns.
   *
   * `compress` (with `coalesce`, into a file this writer starts empty): the lines are also
   * compressed into chunks as they are written (see LiveChunks), for a seal in this process.
   */
  constructor(dir: string, options: { sum?: boolean; coalesce?: boolean; compress?: StorageSettings } = {}) {
    this.file = join(dir, RUN_FILES.traces);
    this.written = options.sum ? new WrittenTraces(this.file) : undefined;
    this.#pending = options.coalesce ? [] : undefined;
    this.#fd = openSync(this.file, 'a');
    // Chunks hold the file from its first byte: made only for a file that starts empty.
    this.liveChunks =
      options.compress && options.coalesce && fstatSync(this.#fd).size === 0 ? new LiveChunks(dir, options.compress) : undefined;
  }

  /**
   * Validates a trace (schema, id rule and `VALUE_LIMITS`, as every reader will) and appends
   * it; returns the trace with defaults filled in.
   */
  append(input: TraceInput): Trace {
    const result = traceSchema.safeParse(input);
    if (!result.success) {
      const issue = result.error.issues[0]!;
      throw new FileFormatError(
        { file: this.file, line: this.#count + 1, field: issue.path.join('.') || undefined },
        describeZodIssue(issue, input),
      );
    }
    // Bounded by the schema, so this JSON.stringify cannot overflow its stack.
    const line = JSON.stringify(result.data);
    const bytes = Buffer.byteLength(line);
    if (bytes > VALUE_LIMITS.lineBytes) {
      throw new FileFormatError(
        { file: this.file, line: this.#count + 1 },
        `the trace is ${bytes} bytes as JSON, over the limit of ${VALUE_LIMITS.lineBytes} for one line that readers accept`,
      );
    }
    this.appendLine(line, result.data);
    return result.data;
  }

  /**
   * Appends a line that was already validated (ingesting a file checked by `parseTraceLine`, or
   * a trace `traceLine` vouched for). With the trace it is the JSON of, the line is summed into
   * `written` (when kept), so sealing in this process need not parse it again; `treeChecked`
   * says the trace came from assembleTrace, whose tree needs no second check (TraceTally.add).
   */
  appendLine(json: string, trace?: Trace, options: { treeChecked?: boolean } = {}): void {
    const fd = this.#open();
    if (!this.written && !this.#pending) {
      writeSync(fd, `${json}\n`);
      this.#linesWritten++;
    } else {
      const bytes = Buffer.from(`${json}\n`);
      if (this.#pending) this.#gather(bytes);
      else {
        writeSync(fd, bytes);
        this.#linesWritten++;
      }
      if (trace) this.written?.add(bytes, trace, options.treeChecked);
      else this.written?.addUnknown(bytes);
    }
    this.#count++;
  }

  /** Writes the lines gathered so far (when coalescing). */
  flush(): void {
    const fd = this.#open();
    if (!this.#pending || this.#pending.length === 0) return;
    const data = this.#pending.length === 1 ? this.#pending[0]! : Buffer.concat(this.#pending, this.#pendingBytes);
    const lines = this.#pending.length;
    this.#pending.length = 0;
    this.#pendingBytes = 0;
    for (let at = 0; at < data.length;) at += writeSync(fd, data, at);
    this.#linesWritten += lines;
    this.liveChunks?.add(data);
  }

  get count(): number {
    return this.#count;
  }

  /**
   * Lines handed to the OS so far: `count` less what a coalescing writer has gathered and not
   * written, and less what a failed write lost.
   */
  get linesWritten(): number {
    return this.#linesWritten;
  }

  /** Writes what is gathered, syncs and closes; throws a coalesced write's failure, closed all the same. */
  close(): void {
    const fd = this.#fd;
    if (fd === null) return;
    try {
      this.flush();
      fsyncSync(fd);
    } finally {
      closeSync(fd);
      this.#fd = null;
    }
  }

  #open(): number {
    if (this.#failure !== undefined) throw this.#failure;
    if (this.#fd === null) throw new LabbookError(`trace writer for ${this.file} is closed`);
    return this.#fd;
  }

  #gather(bytes: Buffer): void {
    this.#pending!.push(bytes);
    this.#pendingBytes += bytes.length;
    if (this.#pendingBytes >= COALESCE_BYTES) return this.flush();
    if (this.#flushScheduled) return;
    this.#flushScheduled = true;
    setImmediate(() => {
      this.#flushScheduled = false;
      if (this.#fd === null || this.#failure !== undefined) return;
      try {
        this.flush();
      } catch (error) {
        this.#failure = error; // a full disk, say: the next append or close says so
      }
    });
  }
}

/** Bytes of lines a coalescing TraceWriter gathers before it writes them, whatever the turn. */
const COALESCE_BYTES = 1 << 20;
