import { mkdirSync, rmSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { checkChunk, CHUNK_GZIP_LEVEL, openChunk, type OpenChunk } from './chunk-writer.ts';
import { CHUNKS_IN_PROGRESS, compactionFailed, installChunks, type VerifiedChunks } from './compact-traces.ts';
import { sha256FileRange } from './hash-file-range.ts';
import { RUN_FILES } from './layout.ts';
import type { StorageSettings } from './storage-settings.ts';

/** Plain bytes given and not yet compressed beyond which it stops (memory, not speed: see `add`). */
const MAX_WAITING_BYTES = 64 * 1024 * 1024;

/**
 * Compresses a run's traces into chunks while its writer appends them, so that sealing finds
 * them made. A receiver writes most of its traces in the seconds after the command exits (each
 * waits out its grace period), on one core, and sealing then compressed them all, on one core
 * again; compressed as they are written, gzip runs on libuv's threads beside the writing.
 *
 * The chunks are cut where `writeChunks` cuts the same bytes (at the first line end at or past
 * `chunkBytes` into each chunk) and are checked the same way before they are installed. They are
 * made from the bytes the writer wrote, so sealing uses them only when the plain file is found
 * to hold exactly those bytes (see `finish`); otherwise `abandon`, and the seal compresses the
 * file as usual.
 */
export class LiveChunks {
  readonly settings: Required<StorageSettings>;
  readonly #dir: string;
  readonly #folder: string;
  /** Plain bytes given so far, and where the chunk being written starts among them. */
  #plainBytes = 0;
  #chunkStart = 0;
  #current: OpenChunk | undefined;
  /** Every chunk opened, in order. */
  readonly #chunks: OpenChunk[] = [];
  #ended = false;
  /** It fell too far behind the writer and stopped: the seal compresses the file instead. */
  #behind = false;
  readonly #maxWaitingBytes: number;

  /** Starts an empty `traces.tmp/` in the run folder `dir` (removing what an interrupted seal left). */
  constructor(dir: string, settings: StorageSettings, options: { maxWaitingBytes?: number } = {}) {
    this.#maxWaitingBytes = options.maxWaitingBytes ?? MAX_WAITING_BYTES;
    this.settings = { chunkBytes: settings.chunkBytes, level: settings.level ?? CHUNK_GZIP_LEVEL };
    this.#dir = dir;
    this.#folder = join(dir, CHUNKS_IN_PROGRESS);
    rmSync(this.#folder, { recursive: true, force: true });
    mkdirSync(this.#folder);
  }

  /** Whether these are the chunks a seal with `settings` would cut and compress. */
  cutAs(settings: StorageSettings): boolean {
    return this.settings.chunkBytes === settings.chunkBytes && this.settings.level === (settings.level ?? CHUNK_GZIP_LEVEL);
  }

  /** Plain bytes given so far (short of those written when it fell behind: see `add`). */
  get plainBytes(): number {
    return this.#plainBytes;
  }

  /** `data` was appended to traces.jsonl: whole lines, after those given before. Not copied: keep it unchanged. */
  add(data: Buffer): void {
    if (this.#ended) throw new Error('LiveChunks: add after finish or abandon');
    if (this.#behind) return;
    if (this.#plainBytes - this.#chunks.reduce((sum, chunk) => sum + chunk.taken(), 0) > this.#maxWaitingBytes) {
      // A writer faster than gzip (a loaded machine) would hold the difference in memory: what
      // waits is dropped, nothing more is taken, and `plainBytes` tells the seal so.
      this.#behind = true;
      this.#stop();
      return;
    }
    const base = this.#plainBytes;
    this.#plainBytes += data.length;
    let from = 0;
    while (from < data.length) {
      // A line end at or past this byte of the plain file closes the chunk.
      const closing = this.#chunkStart + Math.max(1, this.settings.chunkBytes) - 1 - base;
      const lineEnd = closing < data.length ? data.indexOf(10, Math.max(from, closing)) : -1;
      const to = lineEnd === -1 ? data.length : lineEnd + 1;
      this.#current ??= this.#open();
      this.#current.input.write(data.subarray(from, to));
      if (lineEnd !== -1) {
        this.#current.input.end();
        this.#current = undefined;
        this.#chunkStart = base + to;
      }
      from = to;
    }
  }

  /**
   * Ends the last chunk and reads every chunk back; then, if traces.jsonl holds exactly the bytes
   * given (`givenSha256`, their sha256 as the writer summed them, against the file's, hashed from
   * disk while the last chunk is compressed), installs the chunks as `traces/`, as
   * `writeVerifiedChunks` would. Undefined, with the chunks removed, when the file holds
   * something else: the seal compresses the file instead. Rejects, leaving traces.jsonl
   * untouched, when a chunk fails its check.
   */
  async finish(givenSha256: string): Promise<VerifiedChunks | undefined> {
    this.#end();
    const plain = join(this.#dir, RUN_FILES.traces);
    // This thread waits for the chunks' checks meanwhile (a seal with live chunks parses nothing).
    const fileSha256 = sha256FileRange(plain, this.#plainBytes, { onThisThread: true });
    fileSha256.catch(() => {}); // awaited below, after the chunks
    try {
      const chunks = await Promise.all(
        this.#chunks.map(async ({ written }) => {
          const chunk = await written;
          await checkChunk(join(this.#folder, basename(chunk.path)), chunk);
          return chunk;
        }),
      );
      const sha256 = await fileSha256;
      if (sha256 === givenSha256) return await installChunks(this.#dir, chunks, this.#plainBytes, sha256);
    } catch (error) {
      await rm(this.#folder, { recursive: true, force: true });
      throw compactionFailed(plain, error);
    }
    await rm(this.#folder, { recursive: true, force: true });
    return undefined;
  }

  /** Stops, and removes the chunks made so far (the seal compresses the plain file instead). */
  async abandon(): Promise<void> {
    this.#ended = true;
    this.#stop();
    await Promise.allSettled(this.#chunks.map((chunk) => chunk.written));
    await rm(this.#folder, { recursive: true, force: true });
  }

  #open(): OpenChunk {
    const chunk = openChunk(this.#folder, this.#chunks.length, this.settings.level);
    this.#chunks.push(chunk);
    return chunk;
  }

  /** Drops every chunk's compression, done or not: what it still held is not compressed. */
  #stop(): void {
    for (const chunk of this.#chunks) chunk.input.destroy();
    this.#current = undefined;
  }

  #end(): void {
    this.#ended = true;
    this.#current?.input.end();
    this.#current = undefined;
  }
}
