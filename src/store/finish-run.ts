import { createHash } from 'node:crypto';
import { rm, writeFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import type { RunMetrics } from '../../schemas/metrics.ts';
import type { RunManifest, RunProcess, RunStatus } from '../../schemas/run-manifest.ts';
import { createAggregator } from '../aggregate/aggregator.ts';
import { FileFormatError, formatLocation, LabbookError } from '../errors/index.ts';
import { dropPlainTraces, writeVerifiedChunks, type ChunkingOptions } from './compact-traces.ts';
import { readStorageSettings } from './storage-settings.ts';
import { chunksOnDisk, findTraceStorage, TRACE_CHUNKS_DIR } from './trace-storage.ts';
import { writeFileAtomic } from './atomic-write.ts';
import { RUN_FILES } from './layout.ts';
import { readRunManifest, streamTraces } from './run-reader.ts';
import { formatSha256Sums, hashRunFiles } from './sha256sums.ts';
import { checkSpanTree } from './span-tree.ts';
import { writeManifest } from './run-writer.ts';
import { removeWriterLock } from './writer-lock.ts';

export interface FinishRunOptions {
  /** The status the caller saw (`failed` when the command failed). Defaults to `completed`. */
  status?: Exclude<RunStatus, 'running'>;
  statusReason?: string;
  process?: RunProcess;
  now?: Date;
  /** Extra fields merged into run.json before it is sealed (a merge's shard list, say). */
  patch?: Partial<RunManifest>;
  /**
   * How traces are chunked when sealing compresses them; defaults to `storage:` in the nearest
   * labbook.config.yaml. `false` leaves a plain `traces.jsonl` (tests of old runs).
   */
  chunking?: ChunkingOptions | false;
}

export interface FinishRunResult {
  manifest: RunManifest;
  metrics: RunMetrics;
  /** Lines of traces.jsonl that are not valid traces; their presence makes the run `failed`. */
  errors: FileFormatError[];
  /** Problems worth saying that do not invalidate the run (orphan spans, say). */
  warnings: string[];
}

/** At most this many problems are kept in full; the rest are counted. */
const MAX_REPORTED = 50;

/**
 * Seals a run: streams `traces.jsonl` once to check every line and aggregate `metrics.json`,
 * compresses it into verified chunks under `traces/` (then the plain file goes), records counts,
 * status, chunks and file digests in `run.json`, and writes `SHA256SUMS` over every file. Bad
 * lines are reported with file and line and kept byte for byte in the chunks, so nothing
 * recorded is lost; the run is then `failed` with the reason.
 */
export async function finishRun(dir: string, options: FinishRunOptions = {}): Promise<FinishRunResult> {
  const read = await readRunManifest(dir);
  const aggregator = createAggregator();
  const errors: FileFormatError[] = [];
  const warnings: string[] = [];
  let errorCount = 0;
  let warningCount = 0;
  const { storage } = await findTraceStorage(dir, read);
  // A plain traces.jsonl is what is sealed: chunks an earlier seal listed are gone (repair expands them).
  const { traceChunks: _earlier, ...rest } = read;
  const manifest: RunManifest = storage.kind === 'plain' ? rest : read;
  const tracesFile = storage.kind === 'plain' ? storage.file : join(dir, TRACE_CHUNKS_DIR);
  const counts = { traces: 0, errors: 0, spans: 0, scores: 0 };

  const addError = (error: FileFormatError) => {
    errorCount++;
    if (errors.length < MAX_REPORTED) errors.push(error);
  };
  const addWarning = (text: string) => {
    warningCount++;
    if (warnings.length < MAX_REPORTED) warnings.push(text);
  };

  // A plain traces.jsonl is compressed into chunks by a second read that runs alongside this
  // one's parse (gzip works on libuv's threads), and hashed by a third, on a thread of its own; a
  // plain file left plain is hashed in the pass that parses it.
  const tracesHash = createHash('sha256');
  const known: Record<string, string> = {};
  if (storage.kind === 'plain' && (await chunksOnDisk(dir)).length > 0) {
    // Chunks beside the plain file are a copy an interrupted seal (or repair) made of it: the
    // plain file is whole and is what this seal records, so the copy goes and is made anew.
    await rm(join(dir, TRACE_CHUNKS_DIR), { recursive: true, force: true });
  }
  const chunking = storage.kind === 'plain' ? (options.chunking ?? (await readStorageSettings(dir))) : false;
  // One core stays with the parse until it ends, then compression takes them all: on 2 cores a
  // second compressor beside the parse made sealing slower (bench/storage, 283 MB: 1.52 s with
  // one, 1.68 s with two), and the parse of a large run ends well before the compression.
  let parseEnded = () => {};
  const parsed = new Promise<void>((resolve) => (parseEnded = resolve));
  const compaction = chunking
    ? writeVerifiedChunks(dir, {
        narrowUntil: { concurrency: Math.max(1, availableParallelism() - 1), settled: parsed },
        ...chunking,
        hashPlain: true,
      })
    : undefined;
  let plainBytes = 0;
  let lastTurn = performance.now();
  compaction?.catch(() => {}); // awaited below; a failure must not surface as unhandled first
  if (storage.kind !== 'none') {
    // uniqueIds: a repeated id is an error at its own line; the first trace is the one counted.
    const onChunk = (chunk: Buffer) => {
      if (!compaction) tracesHash.update(chunk);
      plainBytes += chunk.length;
    };
    const traces = streamTraces(dir, {
      manifest,
      uniqueIds: true,
      onError: addError,
      onStorageError: addError,
      onChunk,
    });
    for await (const trace of withEnd(traces, parseEnded)) {
      if (compaction && performance.now() - lastTurn > 0.1) {
        // Parsing a buffer of lines runs in microtasks; until the event loop gets a turn, gzip's
        // finished work waits for its callback. Handing a turn over every tenth of a millisecond
        // keeps the compressor busy beside this loop (bench/storage: 1.85 s → 1.35 s for 283 MB).
        await new Promise(setImmediate);
        lastTurn = performance.now();
      }
      const where = `${tracesFile}: trace "${trace.id}"`;
      const problems = checkSpanTree(trace);
      const fatal = problems.filter((p) => p.kind !== 'orphan-span');
      if (fatal.length > 0) {
        for (const p of fatal) addError(new FileFormatError({ file: tracesFile, field: `trace ${trace.id}` }, p.message));
        continue;
      }
      for (const p of problems) addWarning(`${where}: ${p.message}`);
      aggregator.add(trace);
      counts.traces++;
      if (trace.status === 'error') counts.errors++;
      counts.spans += trace.spans.length;
      counts.scores += trace.scores.length;
    }
    if (storage.kind === 'plain' && !compaction) known[RUN_FILES.traces] = tracesHash.digest('hex');
  }
  let traceChunks = manifest.traceChunks;
  const compacted = compaction
    ? await compaction.catch((error: Error) => {
        addWarning(`${tracesFile} stays uncompressed: ${error.message}`);
        return undefined;
      })
    : undefined;
  if (compacted) {
    const { locate, plainDigest, chunkSha256, ...recorded } = compacted;
    traceChunks = { ...recorded, plainDigest: plainDigest! };
    if (recorded.plainBytes !== plainBytes) {
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

  const metrics = aggregator.result();
  await writeFile(join(dir, RUN_FILES.metrics), `${JSON.stringify(metrics, null, 2)}\n`);

  let status: RunStatus = options.status ?? 'completed';
  let statusReason = options.statusReason;
  if (errorCount > 0) {
    status = 'failed';
    const first = errors
      .slice(0, 3)
      .map((e) => e.message)
      .join('; ');
    statusReason = [statusReason, `${errorCount} invalid trace line(s): ${first}`].filter(Boolean).join('; ');
  }
  if (warningCount > warnings.length) warnings.push(`… and ${warningCount - warnings.length} more warnings`);

  const sealed: RunManifest = {
    ...manifest,
    ...options.patch,
    status,
    finishedAt: (options.now ?? new Date()).toISOString(),
    counts,
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

/** One line per problem, for a terminal or a log. */
export function describeFinishProblems(result: FinishRunResult): string[] {
  return [...result.errors.map((e) => `error: ${e.message}`), ...result.warnings.map((w) => `warning: ${w}`)];
}

export { formatLocation };
