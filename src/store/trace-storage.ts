import { createReadStream, existsSync } from 'node:fs';
import { lstat, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { createGunzip } from 'node:zlib';
import type { RunManifest } from '../../schemas/run-manifest.ts';
import { FileFormatError } from '../errors/index.ts';
import { splitJsonlLines, type JsonlLine } from './jsonl-reader.ts';
import { RUN_FILES } from './layout.ts';
import { errorMessage } from '../errors/error-message.ts';
import { countNoun } from '../text/count-noun.ts';

/**
 * Where a run keeps its traces. A live run appends to a plain `traces.jsonl` (a crash keeps every
 * finished line); a sealed run keeps them gzip-compressed in chunks under `traces/`, listed with
 * their line counts in run.json's `traceChunks`. Runs sealed before chunks existed keep their
 * plain file and stay valid. This module is the only reader of either form.
 */
export const TRACE_CHUNKS_DIR = 'traces';
const CHUNK_NAME = /^\d{5}\.jsonl\.gz$/;

/** A new chunk starts once this much JSON (uncompressed) is in the current one. */
export const DEFAULT_CHUNK_BYTES = 32 * 1024 * 1024;

/** `traces/00000.jsonl.gz`, … : the path of chunk `index` inside the run folder. */
export function chunkPath(index: number): string {
  return `${TRACE_CHUNKS_DIR}/${String(index).padStart(5, '0')}.jsonl.gz`;
}

export function isChunkPath(path: string): boolean {
  const [folder, name, ...rest] = path.split('/');
  return folder === TRACE_CHUNKS_DIR && rest.length === 0 && name !== undefined && CHUNK_NAME.test(name);
}

interface ChunkSource {
  /** Path inside the run folder (`traces/00000.jsonl.gz`). */
  path: string;
  /** Absolute (or caller-relative) file name, for messages and reading. */
  file: string;
  /** Lines run.json says the chunk holds, when run.json lists it. */
  expectedLines?: number;
}

type TraceStorage = { kind: 'none' } | { kind: 'plain'; file: string } | { kind: 'chunks'; chunks: ChunkSource[] };

export interface TraceStorageFinding {
  storage: TraceStorage;
  /** What disagrees on disk (a chunk listed but absent, both forms at once…), each naming its file. */
  problems: FileFormatError[];
}

/** The chunk files present under `traces/`, in order. */
export async function chunksOnDisk(dir: string): Promise<string[]> {
  const folder = join(dir, TRACE_CHUNKS_DIR);
  if (!existsSync(folder)) return [];
  const names = (await readdir(folder, { withFileTypes: true })).filter((e) => e.isFile() && CHUNK_NAME.test(e.name)).map((e) => e.name);
  return names.sort().map((name) => `${TRACE_CHUNKS_DIR}/${name}`);
}

/**
 * Why a file in a run folder that is not a regular file of its own is not read: a symbolic link
 * (which could point anywhere, a secret or a device), a folder, a device or a pipe.
 */
export function notOwnFile(file: string, entry: { isSymbolicLink(): boolean; isDirectory(): boolean }): FileFormatError {
  const what = entry.isSymbolicLink() ? 'a symbolic link' : entry.isDirectory() ? 'a folder' : 'not a regular file';
  return new FileFormatError({ file }, `${what}, not read: a run's files are regular files of its own`);
}

/**
 * Finds which form a run's traces are in, and everything that disagrees: chunks listed in
 * run.json but absent, chunks present but not listed, both `traces.jsonl` and chunks (an
 * interrupted compaction: the plain file is still whole, so it is the one read).
 */
export async function findTraceStorage(dir: string, manifest?: RunManifest): Promise<TraceStorageFinding> {
  const plain = join(dir, RUN_FILES.traces);
  const problems: FileFormatError[] = [];
  // A run's traces are its own files, as its chunks are (chunksOnDisk): a link would have every
  // reader show another file's contents (or read /dev/zero for ever), so it is not read.
  const plainEntry = await lstat(plain).catch(() => null);
  const hasPlain = plainEntry?.isFile() ?? false;
  if (plainEntry && !hasPlain) problems.push(notOwnFile(plain, plainEntry));
  const onDisk = await chunksOnDisk(dir);
  const listed = manifest?.traceChunks?.chunks;

  if (hasPlain && onDisk.length > 0) {
    problems.push(
      new FileFormatError(
        { file: plain },
        `both ${RUN_FILES.traces} and ${countNoun(onDisk.length, 'chunk')} in ${TRACE_CHUNKS_DIR}/ exist: a compaction was interrupted; "labbook compact ${dir}" finishes it without losing a trace`,
      ),
    );
    return { storage: { kind: 'plain', file: plain }, problems };
  }
  if (hasPlain) {
    if (listed && listed.length > 0)
      problems.push(
        new FileFormatError(
          { file: plain },
          `run.json lists ${countNoun(listed.length, 'trace chunk')} but the traces are in ${RUN_FILES.traces}`,
        ),
      );
    return { storage: { kind: 'plain', file: plain }, problems };
  }
  if (!listed) {
    if (onDisk.length === 0) return { storage: { kind: 'none' }, problems };
    // Chunks that run.json does not list yet: a compaction stopped after the plain file went.
    return { storage: { kind: 'chunks', chunks: onDisk.map((path) => ({ path, file: join(dir, path) })) }, problems };
  }
  const present = new Set(onDisk);
  const chunks: ChunkSource[] = [];
  for (const chunk of listed) {
    const file = join(dir, chunk.file);
    if (!present.has(chunk.file))
      problems.push(new FileFormatError({ file }, `listed in run.json traceChunks (${chunk.traces} trace lines) but missing`));
    else chunks.push({ path: chunk.file, file, expectedLines: chunk.traces });
  }
  const listedPaths = new Set(listed.map((c) => c.file));
  for (const path of onDisk) {
    if (!listedPaths.has(path))
      problems.push(
        new FileFormatError({ file: join(dir, path) }, 'a trace chunk that run.json traceChunks does not list; it is not read'),
      );
  }
  return { storage: { kind: 'chunks', chunks }, problems };
}

export interface TraceLine {
  /** The file the line is in (a chunk, or traces.jsonl): what errors name. */
  file: string;
  entry: JsonlLine;
}

export interface StreamTraceLinesOptions {
  maxLineBytes?: number;
  /** Sees the plain JSON Lines bytes (decompressed), e.g. to hash them in the same pass. */
  onChunk?: (chunk: Buffer) => void;
  /**
   * Takes problems of the storage itself (a chunk missing, corrupt or miscounted); without it the
   * first one throws. Only readers that report every problem (validate, sealing) pass it: a
   * reader that went on would give a partial answer as if it were whole.
   */
  onStorageError?: (error: FileFormatError) => void;
  manifest?: RunManifest;
}

/**
 * Every line of a run's traces in order, whatever form they are stored in, with the file each
 * came from and its 1-based line inside that file. A corrupt or truncated chunk, or one whose
 * line count disagrees with run.json, is a `FileFormatError` naming the chunk (and the line after
 * which its data stops).
 */
export async function* streamTraceLines(dir: string, options: StreamTraceLinesOptions = {}): AsyncGenerator<TraceLine> {
  const report = (error: FileFormatError) => {
    if (!options.onStorageError) throw error;
    options.onStorageError(error);
  };
  const { storage, problems } = await findTraceStorage(dir, options.manifest);
  for (const problem of problems) report(problem);
  if (storage.kind === 'none') return;
  if (storage.kind === 'plain') {
    const source = createReadStream(storage.file, { highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>;
    for await (const entry of splitJsonlLines(source, options)) yield { file: storage.file, entry };
    return;
  }
  for (const chunk of storage.chunks) {
    let lines = 0;
    let lastLine = 0;
    try {
      for await (const entry of splitJsonlLines(gunzipFile(chunk.file), options)) {
        lines++;
        lastLine = entry.line;
        yield { file: chunk.file, entry };
      }
    } catch (error) {
      if (error instanceof FileFormatError) throw error;
      report(corruptChunkError(chunk.file, lastLine, error));
      continue;
    }
    if (chunk.expectedLines !== undefined && lines !== chunk.expectedLines) {
      report(
        new FileFormatError(
          { file: chunk.file },
          `holds ${countNoun(lines, 'trace line')} but run.json traceChunks says ${chunk.expectedLines}`,
        ),
      );
    }
  }
}

/** The decompressed bytes of a gzip file; a read error (ENOENT…) surfaces through the same stream. */
export function gunzipFile(file: string): AsyncIterable<Buffer> {
  const gunzip = createGunzip({ chunkSize: 1 << 20 });
  const input = createReadStream(file, { highWaterMark: 1 << 20 });
  input.on('error', (error) => gunzip.destroy(error));
  input.pipe(gunzip);
  return gunzip as AsyncIterable<Buffer>;
}

export function corruptChunkError(file: string, lastLine: number, error: unknown): FileFormatError {
  const code = (error as NodeJS.ErrnoException).code;
  const what =
    code === 'Z_BUF_ERROR' || /unexpected end/i.test(errorMessage(error))
      ? 'truncated gzip data'
      : `corrupt gzip data (${errorMessage(error)})`;
  return new FileFormatError(
    { file, line: lastLine + 1 },
    `${what}: the chunk's traces stop after line ${lastLine}; restore the chunk from git (its sha256 is in SHA256SUMS)`,
    { cause: error },
  );
}

/**
 * The traces of a run as the plain JSON Lines text they were written as, from either form: for
 * small runs, scripts and tests. Large runs should stream (`streamTraces`, `streamTraceLines`).
 */
export async function readPlainTraces(dir: string): Promise<string> {
  const { storage, problems } = await findTraceStorage(dir);
  if (problems[0]) throw problems[0];
  if (storage.kind === 'none') return '';
  const parts: Buffer[] = [];
  if (storage.kind === 'plain') {
    for await (const data of createReadStream(storage.file) as AsyncIterable<Buffer>) parts.push(data);
  } else {
    for (const chunk of storage.chunks) {
      let lineEnds = 0;
      try {
        for await (const data of gunzipFile(chunk.file)) {
          parts.push(data);
          for (let at = data.indexOf(10); at !== -1; at = data.indexOf(10, at + 1)) lineEnds++;
        }
      } catch (error) {
        throw corruptChunkError(chunk.file, lineEnds, error);
      }
    }
  }
  return Buffer.concat(parts).toString('utf8');
}

/** Bytes of JSON Lines a run's traces hold, whichever form they are in (0 when it has none). */
export async function plainTraceBytes(dir: string, manifest?: RunManifest): Promise<number> {
  const { storage } = await findTraceStorage(dir, manifest);
  if (storage.kind === 'plain') return (await stat(storage.file)).size;
  if (storage.kind === 'none') return 0;
  if (manifest?.traceChunks) return manifest.traceChunks.plainBytes;
  let bytes = 0;
  for (const chunk of storage.chunks) for await (const data of gunzipFile(chunk.file)) bytes += data.length;
  return bytes;
}
