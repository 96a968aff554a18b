import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, open } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { basename, join } from 'node:path';
import { Transform, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import { chunkPath } from './trace-storage.ts';
import { sha256FileRange } from './hash-file-range.ts';
import { errorMessage } from '../errors/error-message.ts';

/**
 * Counts the non-blank lines in a stream of bytes, as `splitJsonlLines` yields them: a line with
 * any byte besides space, tab or CR counts, and so does a last line without a newline.
 */
export class LineTally {
  lines = 0;
  /** Every line end, blank lines included: how readers number lines. */
  newlines = 0;
  private content = false;

  add(bytes: Buffer, from = 0, to = bytes.length): void {
    let at = from;
    while (at < to) {
      const newline = bytes.indexOf(10, at);
      const end = newline === -1 || newline >= to ? to : newline;
      if (!this.content) {
        for (let i = at; i < end; i++) {
          const b = bytes[i];
          if (b !== 32 && b !== 9 && b !== 13) {
            this.content = true;
            break;
          }
        }
      }
      if (end === to) return;
      this.newlines++;
      if (this.content) this.lines++;
      this.content = false;
      at = end + 1;
    }
  }

  end(): number {
    if (this.content) this.lines++;
    this.content = false;
    return this.lines;
  }
}

export interface WrittenChunk {
  /** Path inside the run folder once installed: `traces/00000.jsonl.gz`. */
  path: string;
  lines: number;
  /** Line ends in the chunk, blank lines included (to map a line of the plain file to a chunk). */
  newlines: number;
  /** Plain bytes the chunk holds. */
  bytes: number;
  /** sha256 (hex) of the chunk file, as written and as read back. */
  sha256: string;
}

/** gzip level 4: 0.058× of realistic traces at 266 MB/s, against 0.053× at 159 MB/s for level 6 (bench/storage). */
export const CHUNK_GZIP_LEVEL = 4;

export interface WriteChunksOptions {
  chunkBytes: number;
  level?: number;
  /** Also hash the plain bytes (sha256) while the chunks are written, on a thread of its own. */
  hashPlain?: boolean;
  /**
   * Chunks compressed at once. Defaults to one more than the cores (each stream waits on the
   * event loop between its steps, so one per core leaves them idle; on 2 cores, 283 MB: 1.52 s
   * one at a time, 1.21 s two, 1.04 s three), at most libuv's 4 threads.
   */
  concurrency?: number;
  /**
   * Compress fewer chunks at once until this settles: sealing keeps one core for its parse of
   * the same file, then lets the compression have them all (`concurrency`).
   */
  narrowUntil?: { concurrency: number; settled: Promise<unknown> };
}

/**
 * Writes the first `plainBytes` of a JSON Lines file as gzip chunks into a folder, starting a
 * new chunk at the first line end after `chunkBytes` plain bytes, so no line is ever split across
 * chunks and the chunks joined are byte for byte the input.
 *
 * The cuts are found first, by looking for the line end near each one, so the chunks are
 * independent and several are compressed at once, each read from its own range of the file:
 * gzip at level 4 alone is slower than reading and parsing the file, and one stream of it uses
 * one core however many there are.
 *
 * Each chunk is fsynced and read back from disk once written, and must hash to the bytes the
 * compressor produced; the promise resolves only when every chunk has passed, and otherwise
 * rejects with a `ChunkCheckError`. The check does not decompress: that cost as much CPU as
 * half the compression, on the cores that also parse the run, and what it would add (that
 * zlib's output decodes) is what `labbook validate` checks on every read of the run, against
 * `plainDigest`.
 */
export async function writeChunks(
  file: string,
  plainBytes: number,
  folder: string,
  options: WriteChunksOptions,
): Promise<{ chunks: WrittenChunk[]; plainSha256?: string }> {
  const level = options.level ?? CHUNK_GZIP_LEVEL;
  const concurrency = Math.max(1, options.concurrency ?? Math.min(4, availableParallelism() + 1));
  const cuts = await findCuts(file, plainBytes, options.chunkBytes);
  await mkdir(folder, { recursive: true });
  const plainHash = options.hashPlain ? sha256FileRange(file, plainBytes) : undefined;
  plainHash?.catch(() => {}); // awaited below; a chunk failing first must not leave it unhandled
  const chunks: WrittenChunk[] = new Array(cuts.length - 1);
  let next = 0;
  let failed = false;
  const worker = async () => {
    while (!failed && next < cuts.length - 1) {
      const index = next++;
      try {
        chunks[index] = await writeChunk(file, cuts[index]!, cuts[index + 1]!, folder, index, level);
      } catch (error) {
        failed = true; // the others finish the chunk in hand and start no other
        throw error;
      }
    }
  };
  const running = new Set<Promise<void>>();
  const start = (workers: number) => {
    for (let i = 0; i < workers && next < cuts.length - 1; i++) {
      const done = worker();
      running.add(done);
      done.then(
        () => running.delete(done),
        () => {},
      ); // a failure is awaited below
    }
  };
  const narrow = options.narrowUntil;
  const first = narrow ? Math.max(1, Math.min(narrow.concurrency, concurrency)) : concurrency;
  start(first);
  void narrow?.settled.finally(() => start(concurrency - first));
  // Workers started later (when `narrowUntil` settles) are awaited too.
  while (running.size > 0) await Promise.all([...running]);
  return { chunks, ...(plainHash ? { plainSha256: await plainHash } : {}) };
}

/** Where each chunk starts, and the end: the byte after the first line end at or past each size. */
async function findCuts(file: string, plainBytes: number, chunkBytes: number): Promise<number[]> {
  const cuts = [0];
  if (plainBytes === 0) return cuts; // no chunk at all
  const handle = await open(file, 'r');
  try {
    const window = Buffer.alloc(64 * 1024);
    let from = 0;
    while (from + chunkBytes < plainBytes) {
      let at = from + Math.max(1, chunkBytes) - 1;
      let cut = plainBytes;
      while (at < plainBytes) {
        const { bytesRead } = await handle.read(window, 0, Math.min(window.length, plainBytes - at), at);
        if (bytesRead === 0) break;
        const newline = window.subarray(0, bytesRead).indexOf(10);
        if (newline !== -1) {
          cut = at + newline + 1;
          break;
        }
        at += bytesRead;
      }
      if (cut >= plainBytes) break;
      cuts.push(cut);
      from = cut;
    }
  } finally {
    await handle.close();
  }
  cuts.push(plainBytes);
  return cuts;
}

async function writeChunk(file: string, start: number, end: number, folder: string, index: number, level: number): Promise<WrittenChunk> {
  const chunk = openChunk(folder, index, level);
  await pipeline(createReadStream(file, { start, end: end - 1, highWaterMark: 1 << 20 }), chunk.input);
  const written = await chunk.written;
  await checkChunk(join(folder, basename(written.path)), written);
  return written;
}

/** A chunk file being written: its plain bytes go to `input`, and `written` says what it holds once `input` ends. */
export interface OpenChunk {
  input: Writable;
  written: Promise<WrittenChunk>;
  /** Plain bytes the compressor has taken so far (those written to `input` and not yet taken wait in memory). */
  taken(): number;
}

/**
 * Starts chunk `index` in `folder` (named as `chunkPath` names it): the bytes written to `input`
 * are counted, compressed at `level` and hashed on their way to the file. The one place a chunk
 * file is made, whether from a range of the plain file or from lines as they are appended.
 */
export function openChunk(folder: string, index: number, level: number): OpenChunk {
  const path = chunkPath(index);
  const target = join(folder, basename(path));
  const tally = new LineTally();
  let bytes = 0;
  const hash = createHash('sha256');
  const input = new Transform({
    transform(data: Buffer, _encoding, callback) {
      tally.add(data);
      bytes += data.length;
      callback(null, data);
    },
  });
  const hashing = new Transform({
    transform(data: Buffer, _encoding, callback) {
      hash.update(data);
      callback(null, data);
    },
  });
  const gzip = createGzip({ level, chunkSize: 256 * 1024 }); // fewer, larger writes than zlib's 16 KB
  const written = pipeline(input, gzip, hashing, createWriteStream(target)).then(() => ({
    path,
    lines: tally.end(),
    newlines: tally.newlines,
    bytes,
    sha256: hash.digest('hex'),
  }));
  written.catch(() => {}); // awaited by the caller; a failure must not surface as unhandled first
  return { input, written, taken: () => gzip.bytesWritten };
}

/** A chunk read back from disk is not what was written: nothing that depends on it may go. */
export class ChunkCheckError extends Error {
  override name = 'ChunkCheckError';
}

/** Fsyncs a closed chunk and reads it back: it must hash to what the compressor produced. */
export async function checkChunk(file: string, written: Pick<WrittenChunk, 'sha256'>): Promise<void> {
  await fsyncFile(file);
  const hash = createHash('sha256');
  try {
    for await (const data of createReadStream(file, { highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>) hash.update(data);
  } catch (error) {
    throw new ChunkCheckError(`${file} does not read back: ${errorMessage(error)}`, { cause: error });
  }
  const read = hash.digest('hex');
  if (read !== written.sha256) {
    throw new ChunkCheckError(`${file} reads back as sha256 ${read}, not the ${written.sha256} written`);
  }
}

async function fsyncFile(file: string): Promise<void> {
  const handle = await open(file, 'r+');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
