import { createHash } from 'node:crypto';
import { rm, stat, writeFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import type { RunMetrics } from '../../schemas/metrics.ts';
import type { RunManifest, RunProcess, RunStatus } from '../../schemas/run-manifest.ts';
import { FileFormatError, formatLocation, LabbookError } from '../errors/index.ts';
import { dropPlainTraces, writeVerifiedChunks, type ChunkingOptions } from './compact-traces.ts';
import type { LiveChunks } from './live-chunks.ts';
import { readStorageSettings } from './storage-settings.ts';
import { chunksOnDisk, findTraceStorage, TRACE_CHUNKS_DIR } from './trace-storage.ts';
import { writeFileAtomic } from './atomic-write.ts';
import { RUN_FILES } from './layout.ts';
import { readRunManifest, streamTraces } from './run-reader.ts';
import { formatSha256Sums, hashRunFiles } from './sha256sums.ts';
import { TraceTally, type Tally } from './trace-tally.ts';
import { writeManifest } from './run-writer.ts';
import { removeWriterLock } from './writer-lock.ts';
import type { WrittenTraces } from './written-traces.ts';
import { TraceFollower } from './trace-follower.ts';
import { countNoun } from '../text/count-noun.ts';

export interface FinishRunOptions {
  /** The status the caller saw (`failed` when the command failed). Defaults to `completed`. */
  status?: Exclude<RunStatus, 'running'>;
  statusReason?: string;
  /**
   * A command ran to record traces: a `completed` run that holds none (and no refused line) is
   * sealed `failed` with this reason instead (see the runner's emptyRunFails).
   */
  failIfEmpty?: string;
  process?: RunProcess;
  now?: Date;
  /** Extra fields merged into run.json before it is sealed (a merge's shard list, say). */
  patch?: Partial<RunManifest>;
  /**
   * How traces are chunked when sealing compresses them; defaults to `storage:` in the nearest
   * labbook.config.yaml. `false` leaves a plain `traces.jsonl` (tests of old runs).
   */
  chunking?: ChunkingOptions | false;
  /** What this process wrote to traces.jsonl, summed as it wrote (a TraceWriter's `written`). */
  written?: WrittenTraces;
  /** What another process wrote, tallied while it wrote (see TraceFollower). */
  followed?: TraceFollower;
  /** Chunks made from `written` as it was written (a TraceWriter's `liveChunks`), used when they fit. */
  liveChunks?: LiveChunks;
}

export interface FinishRunResult {
  manifest: RunManifest;
  metrics: RunMetrics;
  /** Lines of traces.jsonl that are not valid traces; their presence makes the run `failed`. */
  errors: FileFormatError[];
  /** Problems worth saying that do not invalidate the run (orphan spans, say). */
  warnings: string[];
}

/**
 * Seals a run: streams `traces.jsonl` once to check every line and aggregate `metrics.json`
 * (or takes that tally from whoever summed the lines as they were written, when the file holds
 * exactly those bytes: `written`, `followed`), compresses it into verified chunks under
 * `traces/` (then the plain file goes), records counts,
 * status, chunks and file digests in `run.json`, and writes `SHA256SUMS` over every file. Bad
 * lines are reported with file and line and kept byte for byte in the chunks, so nothing
 * recorded is lost; the run is then `failed` with the reason.
 */
export async function finishRun(dir: string, options: FinishRunOptions = {}): Promise<FinishRunResult> {
  const read = await readRunManifest(dir);
  const { storage } = await findTraceStorage(dir, read);
  // A plain traces.jsonl is what is sealed: chunks an earlier seal listed are gone (repair expands them).
  const { traceChunks: _earlier, ...rest } = read;
  const manifest: RunManifest = storage.kind === 'plain' ? rest : read;
  const tracesFile = storage.kind === 'plain' ? storage.file : join(dir, TRACE_CHUNKS_DIR);
  const known: Record<string, string> = {};
  if (storage.kind === 'plain' && (await chunksOnDisk(dir)).length > 0) {
    // Chunks beside the plain file are a copy an interrupted seal (or repair) made of it: the
    // plain file is whole and is what this seal records, so the copy goes and is made anew.
    await rm(join(dir, TRACE_CHUNKS_DIR), { recursive: true, force: true });
  }
  const chunking = storage.kind === 'plain' ? (options.chunking ?? (await readStorageSettings(dir))) : false;
  // Traces summed while they were written, by this process or by following another, need no
  // second parse once the file is found to hold exactly the bytes summed (its digest comes with
  // the compression).
  const allOurs = options.written && storage.kind === 'plain' && (await stat(storage.file)).size === options.written.bytes;
  const trusted = chunking && storage.kind === 'plain' ? (allOurs ? options.written : options.followed) : undefined;

  // Chunks made as this process wrote the file serve when the file holds just what it wrote
  // (checked by digest before they are installed), cut as this seal would cut it.
  const live = options.liveChunks;
  const liveFits =
    live !== undefined && chunking && trusted === options.written && live.plainBytes === options.written?.bytes && live.cutAs(chunking);
  if (live && !liveFits) await live.abandon();
  // A plain traces.jsonl is compressed into chunks by a read of its own that runs alongside the
  // parse (gzip works on libuv's threads), and hashed by another, on a thread of its own. While
  // the parse runs it keeps one core: on 2 cores a second compressor beside it made sealing
  // slower (bench/storage, 283 MB: 1.52 s with one, 1.68 s with two); then compression takes
  // them all.
  let parseEnded = () => {};
  const parsed = new Promise<void>((resolve) => (parseEnded = resolve));
  const compactFile = (settings: ChunkingOptions) =>
    writeVerifiedChunks(dir, {
      ...(trusted ? {} : { narrowUntil: { concurrency: Math.max(1, availableParallelism() - 1), settled: parsed } }),
      ...settings,
      hashPlain: true,
    });
  const compaction = !chunking
    ? undefined
    : liveFits
      ? live!.finish(options.written!.sha256).then((made) => made ?? compactFile(chunking))
      : compactFile(chunking);
  compaction?.catch(() => {}); // awaited below; a failure must not surface as unhandled first

  let tally: Tally | undefined;
  if (trusted) {
    if (trusted instanceof TraceFollower) await trusted.finish(); // the last lines, while compression runs
    const done = await compaction!.catch(() => undefined);
    tally = done?.plainDigest ? trusted.summaryFor(done.plainDigest.slice('sha256:'.length)) : undefined;
  }
  tally ??= await parseTraces(dir, manifest, storage.kind, tracesFile, { sharing: compaction !== undefined && !trusted, parseEnded });
  parseEnded();
  if (storage.kind === 'plain' && tally.plainSha256) known[RUN_FILES.traces] = tally.plainSha256;
  const { errors, warnings } = tally;

  let traceChunks = manifest.traceChunks;
  const compacted = compaction
    ? await compaction.catch((error: Error) => {
        tally.warningCount++;
        warnings.push(`${tracesFile} stays uncompressed: ${error.message}`);
        return undefined;
      })
    : undefined;
  if (compacted) {
    const { locate, plainDigest, chunkSha256, ...recorded } = compacted;
    traceChunks = { ...recorded, plainDigest: plainDigest! };
    if (recorded.plainBytes !== tally.plainBytes) {
      // Something appended while the run was sealed: keep the plain file, drop the chunks.
      await rm(join(dir, TRACE_CHUNKS_DIR), { recursive: true, force: true });
      throw new LabbookError(`${tracesFile} changed while the run was being sealed (is its writer still running?); nothing was removed`);
    }
    await dropPlainTraces(dir);
    delete known[RUN_FILES.traces];
    Object.assign(known, chunkSha256);
    // Errors found in the plain file now point at the chunk and line where those bytes live.
    errors.splice(
      0,
      errors.length,
      ...errors.map(
        (e) =>
          new FileFormatError(
            e.location.line === undefined
              ? { ...e.location, file: join(dir, TRACE_CHUNKS_DIR) }
              : { ...e.location, ...locate(e.location.line) },
            e.detail,
          ),
      ),
    );
  }

  const metrics = tally.metrics;
  await writeFile(join(dir, RUN_FILES.metrics), `${JSON.stringify(metrics, null, 2)}\n`);

  let status: RunStatus = options.status ?? 'completed';
  let statusReason = options.statusReason;
  if (tally.errorCount > 0) {
    status = 'failed';
    const first = errors
      .slice(0, 3)
      .map((e) => e.message)
      .join('; ');
    const more = tally.errorCount > 3 ? `; … and ${tally.errorCount - 3} more ("labbook validate" lists them)` : '';
    statusReason = [statusReason, `${countNoun(tally.errorCount, 'invalid trace line')}: ${first}${more}`].filter(Boolean).join('; ');
  }
  if (status === 'completed' && options.failIfEmpty && tally.counts.traces === 0 && tally.errorCount === 0) {
    status = 'failed';
    statusReason = options.failIfEmpty;
  }
  if (tally.warningCount > warnings.length) warnings.push(`… and ${tally.warningCount - warnings.length} more warnings`);

  const sealed: RunManifest = {
    ...manifest,
    ...options.patch,
    status,
    finishedAt: (options.now ?? new Date()).toISOString(),
    counts: tally.counts,
    ...(options.process ? { process: options.process } : {}),
    ...(statusReason ? { statusReason } : {}),
    ...(traceChunks ? { traceChunks } : {}),
    files: {},
  };
  await removeWriterLock(dir); // sealed: no writer any more, and the lock is not part of the record
  const written = await sealRunFiles(dir, sealed, known);
  return { manifest: written, metrics, errors, warnings };
}

/**
 * Streams the traces once: checks every line (bad ones are errors at their line; a repeated id
 * an error at its own line, the first trace being the one counted) and aggregates the rest.
 */
async function parseTraces(
  dir: string,
  manifest: RunManifest,
  storage: 'plain' | 'chunks' | 'none',
  tracesFile: string,
  { sharing, parseEnded }: { sharing: boolean; parseEnded: () => void },
): Promise<Tally> {
  const tally = new TraceTally(tracesFile);
  if (storage === 'none') return tally.result();
  // A plain file that stays plain is hashed here, in its one read; sharing: compression runs beside.
  const hash = storage === 'plain' && !sharing ? createHash('sha256') : undefined;
  const onChunk = (chunk: Buffer) => {
    hash?.update(chunk);
    tally.read(chunk.length);
  };
  // A plain file is read as a file: chunks of it may already be beside it, when compression ran
  // first (see WrittenTraces) and the file turned out to need its parse after all.
  const traces = streamTraces(storage === 'plain' ? tracesFile : dir, {
    manifest,
    uniqueIds: true,
    onError: (error) => tally.error(error),
    onStorageError: (error) => tally.error(error),
    onChunk,
  });
  let lastTurn = performance.now();
  for await (const trace of withEnd(traces, parseEnded)) {
    if (sharing && performance.now() - lastTurn > 0.1) {
      // Parsing a buffer of lines runs in microtasks; until the event loop gets a turn, gzip's
      // finished work waits for its callback. Handing a turn over every tenth of a millisecond
      // keeps the compressor busy beside this loop (bench/storage: 1.85 s → 1.35 s for 283 MB).
      await new Promise(setImmediate);
      lastTurn = performance.now();
    }
    tally.add(trace);
  }
  return tally.result(hash?.digest('hex'));
}

/**
 * Records the digest of every file in run.json's `files`, writes run.json, then `SHA256SUMS`
 * over every file (run.json included): the last step of sealing, shared with compaction.
 */
export async function sealRunFiles(dir: string, manifest: RunManifest, known: Record<string, string> = {}): Promise<RunManifest> {
  const { [RUN_FILES.manifest]: _manifestHash, ...others } = await hashRunFiles(dir, known);
  const sealed = { ...manifest, files: others };
  await writeManifest(dir, sealed);
  await writeFileAtomic(join(dir, RUN_FILES.sums), formatSha256Sums(await hashRunFiles(dir, { ...others })));
  return sealed;
}

/** The same items; `ended` is called once they are over, or the loop over them stopped. */
async function* withEnd<T>(items: AsyncIterable<T>, ended: () => void): AsyncGenerator<T> {
  try {
    yield* items;
  } finally {
    ended();
  }
}

export { formatLocation };
