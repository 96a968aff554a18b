import { existsSync } from 'node:fs';
import { readFile, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { RunManifest } from '../../schemas/run-manifest.ts';
import { LabbookError } from '../errors/index.ts';
import {
  CompactionError,
  dropPlainTraces,
  readChunks,
  removeUnfinishedChunks,
  writeVerifiedChunks,
  type ChunkingOptions,
  type TraceChunks,
} from './compact-traces.ts';
import { sha256File, toDigest } from './digest.ts';
import { sealRunFiles } from './finish-run.ts';
import { RUN_FILES } from './layout.ts';
import { readRunManifest } from './run-reader.ts';
import { parseSha256Sums, verifyRunFiles } from './sha256sums.ts';
import { chunksOnDisk, isChunkPath, TRACE_CHUNKS_DIR } from './trace-storage.ts';

/** A run that `labbook compact` leaves as it is, and why (live, edited, a CI run's evidence). */
export class CompactRefusedError extends LabbookError {
  override name = 'CompactRefusedError';
}

type CompactOutcome =
  { kind: 'compacted'; plainBytes: number; storedBytes: number; chunks: number; recovered: boolean } | { kind: 'already'; reason: string };

/**
 * Converts a sealed run's plain `traces.jsonl` into verified chunks and re-seals it (run.json's
 * `traceChunks` and `files`, then SHA256SUMS). Refuses a live run, and a sealed run whose files
 * no longer match SHA256SUMS (compaction must never launder an edit into a fresh seal).
 *
 * Finishes an interrupted compaction too: chunks beside the plain file are kept only if they
 * decompress to exactly its bytes; chunks left alone (the plain file already gone) only if they
 * decompress to the traces.jsonl digest run.json recorded. Nothing is removed before that check.
 */
/**
 * Why `compactRun` would leave this run as it is, or null when it would compress it: what
 * `labbook compact --dry-run` says, so the dry run lists exactly what the real one does.
 */
export async function compactionSkipped(dir: string, manifest: RunManifest): Promise<string | null> {
  if (manifest.status === 'running') return 'still running; it is compacted when it is sealed';
  if (manifest.traceChunks) return 'already compressed';
  if (!existsSync(join(dir, RUN_FILES.traces)) && (await chunksOnDisk(dir)).length === 0) return 'no traces to compress';
  return null;
}

export async function compactRun(dir: string, options: ChunkingOptions): Promise<CompactOutcome> {
  const manifest = await readRunManifest(dir);
  if (manifest.status === 'running')
    throw new CompactRefusedError(`run ${manifest.id} is still running; it is compacted when it is sealed`);
  if (manifest.traceChunks) return { kind: 'already', reason: 'already compressed' };
  await removeUnfinishedChunks(dir);
  const plain = join(dir, RUN_FILES.traces);
  const hasPlain = existsSync(plain);
  const onDisk = await chunksOnDisk(dir);
  if (!hasPlain && onDisk.length === 0) return { kind: 'already', reason: 'no traces to compress' };

  // What SHA256SUMS may disagree with mid-compaction: the chunks are new, the plain file may be gone.
  const expected = (m: { file: string; problem: string }) =>
    (m.problem === 'unlisted' && isChunkPath(m.file)) || (m.file === RUN_FILES.traces && m.problem === 'missing' && onDisk.length > 0);
  // The plain file's digest in SHA256SUMS is checked in the pass that compresses it (one read of
  // the largest file, not two); every other file is checked here, before anything is written.
  const sealed = existsSync(join(dir, RUN_FILES.sums));
  const refuseEdited = (edited: Array<{ file: string; problem: string }>) =>
    new CompactRefusedError(
      `run ${manifest.id} does not match its SHA256SUMS (${edited.map((m) => `${m.file}: ${m.problem}`).join(', ')}); "labbook validate" says more; compaction never re-seals an edited run`,
    );
  let recordedPlain: string | undefined;
  if (sealed) {
    const deferred = hasPlain && onDisk.length === 0 ? [RUN_FILES.traces] : [];
    const edited = (await verifyRunFiles(dir, { deferred })).filter((m) => !expected(m));
    if (edited.length > 0) throw refuseEdited(edited);
    const sumsFile = join(dir, RUN_FILES.sums);
    recordedPlain = parseSha256Sums(await readFile(sumsFile, 'utf8'), sumsFile)[RUN_FILES.traces];
  }

  let traceChunks: TraceChunks;
  let known: Record<string, string> = {};
  let recovered = false;
  if (onDisk.length > 0) {
    recovered = true;
    const read = await readChunks(
      join(dir, TRACE_CHUNKS_DIR),
      onDisk.map((p) => p.slice(TRACE_CHUNKS_DIR.length + 1)),
    );
    const want = hasPlain ? await sha256File(plain) : manifest.files[RUN_FILES.traces];
    if (want !== undefined && want !== read.plainSha256) {
      throw new CompactionError(
        `the chunks in ${join(dir, TRACE_CHUNKS_DIR)} do not hold the same bytes as ${hasPlain ? plain : 'the traces.jsonl run.json recorded'}; nothing was removed: compare them by hand`,
      );
    }
    traceChunks = {
      plainDigest: toDigest(read.plainSha256),
      plainBytes: read.plainBytes,
      chunks: onDisk.map((file, i) => ({ file, traces: read.lines[i]!, bytes: read.bytes[i]! })),
    };
  } else {
    const { locate: _locate, plainDigest, chunkSha256, ...written } = await writeVerifiedChunks(dir, { ...options, hashPlain: true });
    if (sealed && (recordedPlain === undefined || plainDigest !== toDigest(recordedPlain))) {
      // Edited since it was sealed: the new chunks go, the plain file stays as it is.
      await rm(join(dir, TRACE_CHUNKS_DIR), { recursive: true, force: true });
      throw refuseEdited([{ file: RUN_FILES.traces, problem: recordedPlain === undefined ? 'unlisted' : 'changed' }]);
    }
    traceChunks = { ...written, plainDigest: plainDigest! };
    known = chunkSha256;
  }
  await dropPlainTraces(dir);
  const resealed: RunManifest = { ...manifest, traceChunks };
  await sealRunFiles(dir, resealed, known);
  return {
    kind: 'compacted',
    plainBytes: traceChunks.plainBytes,
    storedBytes: await chunkBytesOnDisk(dir),
    chunks: traceChunks.chunks.length,
    recovered,
  };
}

async function chunkBytesOnDisk(dir: string): Promise<number> {
  let total = 0;
  for (const path of await chunksOnDisk(dir)) total += (await stat(join(dir, path))).size;
  return total;
}
