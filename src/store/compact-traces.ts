import { createHash } from 'node:crypto';
import { createWriteStream, existsSync } from 'node:fs';
import { once } from 'node:events';
import { finished } from 'node:stream/promises';
import { rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { RunManifest } from '../../schemas/run-manifest.ts';
import { LabbookError } from '../errors/index.ts';
import { ChunkCheckError, LineTally, writeChunks, type WriteChunksOptions, type WrittenChunk } from './chunk-writer.ts';
import { discardPartial } from './atomic-write.ts';
import { toDigest } from './digest.ts';
import { RUN_FILES } from './layout.ts';
import type { StorageSettings } from './storage-settings.ts';
import { corruptChunkError, gunzipFile, TRACE_CHUNKS_DIR } from './trace-storage.ts';

export type TraceChunks = NonNullable<RunManifest['traceChunks']>;

/** Where chunks are written before they are verified and moved to `traces/`. */
export const CHUNKS_IN_PROGRESS = 'traces.tmp';

/** Compaction read back what it wrote and found it differs: nothing was removed. */
export class CompactionError extends LabbookError {
  override name = 'CompactionError';
}

/** How a run's traces are chunked (labbook.config.yaml's `storage:`), and how many chunks are compressed at once (see `writeChunks`). */
export interface ChunkingOptions extends StorageSettings {
  concurrency?: number;
}

/**
 * Writes a run's plain `traces.jsonl` as gzip chunks into `traces.tmp/`, reads every chunk back
 * from disk to check that it holds the bytes the compressor produced (see ChunkWriter), and only
 * then renames the folder to `traces/`. The plain file is left in place: the caller removes it
 * (`dropPlainTraces`) once the chunks are recorded. A crash at any point leaves either no
 * `traces/` or a verified one beside the whole plain file.
 */
export async function writeVerifiedChunks(
  dir: string,
  options: ChunkingOptions & Pick<WriteChunksOptions, 'hashPlain' | 'narrowUntil'>,
): Promise<VerifiedChunks> {
  const plain = join(dir, RUN_FILES.traces);
  const temp = join(dir, CHUNKS_IN_PROGRESS);
  await rm(temp, { recursive: true, force: true });
  // What the file holds now is what is compacted; a seal compares it with the bytes it parsed.
  const plainBytes = (await stat(plain)).size;
  let written: Awaited<ReturnType<typeof writeChunks>>;
  try {
    // A caller that hashes the plain file in its own pass (sealing) spares this one the work.
    written = await writeChunks(plain, plainBytes, temp, { ...options, hashPlain: options.hashPlain !== false });
  } catch (error) {
    await rm(temp, { recursive: true, force: true });
    throw compactionFailed(plain, error);
  }
  return installChunks(dir, written.chunks, plainBytes, written.plainSha256);
}

/** Chunks made and checked, moved into place, as a seal records them. */
export type VerifiedChunks = Omit<TraceChunks, 'plainDigest'> & {
  plainDigest?: string;
  /** sha256 (hex) of each chunk file by its path in the run (`traces/00000.jsonl.gz`), for SHA256SUMS. */
  chunkSha256: Record<string, string>;
  locate: (line: number) => { file: string; line: number };
};

/** A chunk that did not read back is the compaction's failure, said as such; other errors pass. */
export function compactionFailed(plain: string, error: unknown): unknown {
  if (!(error instanceof ChunkCheckError)) return error;
  return new CompactionError(`compaction of ${plain} failed its check (${error.message}); ${RUN_FILES.traces} is untouched`, {
    cause: error,
  });
}

/**
 * Renames `traces.tmp/`, whose chunks were each read back, to `traces/`, and says what a seal
 * records of them: sizes and lines per chunk, their digests, and where a line of the plain file
 * now lives.
 */
export async function installChunks(
  dir: string,
  chunks: WrittenChunk[],
  plainBytes: number,
  plainSha256?: string,
): Promise<VerifiedChunks> {
  const plain = join(dir, RUN_FILES.traces);
  await rename(join(dir, CHUNKS_IN_PROGRESS), join(dir, TRACE_CHUNKS_DIR));
  return {
    ...(plainSha256 ? { plainDigest: toDigest(plainSha256) } : {}),
    plainBytes,
    chunks: chunks.map((c) => ({ file: c.path, traces: c.lines, bytes: c.bytes })),
    chunkSha256: Object.fromEntries(chunks.map((c) => [c.path, c.sha256])),
    locate: (line) => {
      let before = 0;
      for (const [i, chunk] of chunks.entries()) {
        if (line <= before + chunk.newlines || i === chunks.length - 1) return { file: join(dir, chunk.path), line: line - before };
        before += chunk.newlines;
      }
      return { file: plain, line };
    },
  };
}

/** Decompresses chunks (names inside `folder`), hashing the plain bytes and counting lines. */
export async function readChunks(
  folder: string,
  names: string[],
): Promise<{ plainSha256: string; plainBytes: number; lines: number[]; bytes: number[] }> {
  const hash = createHash('sha256');
  let plainBytes = 0;
  const lines: number[] = [];
  const bytes: number[] = [];
  for (const name of names) {
    const file = join(folder, name);
    const tally = new LineTally();
    let size = 0;
    try {
      for await (const data of gunzipFile(file)) {
        hash.update(data);
        tally.add(data);
        size += data.length;
      }
    } catch (error) {
      throw corruptChunkError(file, tally.lines, error);
    }
    plainBytes += size;
    lines.push(tally.end());
    bytes.push(size);
  }
  return { plainSha256: hash.digest('hex'), plainBytes, lines, bytes };
}

/** Removes `traces.jsonl` once its chunks are in place and recorded. */
export async function dropPlainTraces(dir: string): Promise<void> {
  await rm(join(dir, RUN_FILES.traces), { force: true });
}

/** Removes what an interrupted compaction left half-written (never the plain file or `traces/`). */
export async function removeUnfinishedChunks(dir: string): Promise<void> {
  if (existsSync(join(dir, CHUNKS_IN_PROGRESS))) await rm(join(dir, CHUNKS_IN_PROGRESS), { recursive: true, force: true });
}

/**
 * Turns a sealed run's chunks back into a plain `traces.jsonl`, for a repair that must cut a torn
 * last line: the plain file is written beside the chunks, checked against run.json's
 * `plainDigest`, and only then do the chunks go. Sealing again compacts it anew.
 */
export async function expandTraces(dir: string, manifest: RunManifest): Promise<void> {
  const recorded = manifest.traceChunks;
  if (!recorded) return;
  const plain = join(dir, RUN_FILES.traces);
  const temp = `${plain}.expand.tmp`;
  const hash = createHash('sha256');
  const out = createWriteStream(temp);
  try {
    for (const chunk of recorded.chunks) {
      const file = join(dir, chunk.file);
      let lineEnds = 0;
      try {
        for await (const data of gunzipFile(file)) {
          hash.update(data);
          for (let at = data.indexOf(10); at !== -1; at = data.indexOf(10, at + 1)) lineEnds++;
          if (!out.write(data)) await once(out, 'drain');
        }
      } catch (error) {
        throw corruptChunkError(file, lineEnds, error);
      }
    }
    out.end();
    await finished(out);
    const digest = toDigest(hash.digest('hex'));
    if (digest !== recorded.plainDigest)
      throw new CompactionError(
        `the chunks of ${dir} decompress to ${digest}, not run.json's plainDigest ${recorded.plainDigest}; nothing was changed`,
      );
    await rename(temp, plain);
  } catch (error) {
    await discardPartial(out, temp);
    throw error;
  }
  await rm(join(dir, TRACE_CHUNKS_DIR), { recursive: true, force: true });
}
