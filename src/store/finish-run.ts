import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { RunMetrics } from '../../schemas/metrics.ts';
import type { RunManifest, RunProcess, RunStatus } from '../../schemas/run-manifest.ts';
import { createAggregator } from '../aggregate/aggregator.ts';
import { FileFormatError, formatLocation } from '../errors/index.ts';
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
 * records counts, status and file digests in `run.json`, and writes `SHA256SUMS` over every
 * file. Bad lines are reported with file and line and stay in the file, so nothing recorded is
 * lost; the run is then `failed` with the reason.
 */
export async function finishRun(dir: string, options: FinishRunOptions = {}): Promise<FinishRunResult> {
  const manifest = await readRunManifest(dir);
  const aggregator = createAggregator();
  const errors: FileFormatError[] = [];
  const warnings: string[] = [];
  let errorCount = 0;
  let warningCount = 0;
  const tracesFile = join(dir, RUN_FILES.traces);
  const counts = { traces: 0, errors: 0, spans: 0, scores: 0 };

  const addError = (error: FileFormatError) => {
    errorCount++;
    if (errors.length < MAX_REPORTED) errors.push(error);
  };
  const addWarning = (text: string) => {
    warningCount++;
    if (warnings.length < MAX_REPORTED) warnings.push(text);
  };

  // traces.jsonl is hashed in the same pass that parses it: the file is read once.
  const tracesHash = createHash('sha256');
  const known: Record<string, string> = {};
  if (existsSync(tracesFile)) {
    // uniqueIds: a repeated id is an error at its own line; the first trace is the one counted.
    for await (const trace of streamTraces(tracesFile, { uniqueIds: true, onError: addError, onChunk: (chunk) => tracesHash.update(chunk) })) {
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
    known[RUN_FILES.traces] = tracesHash.digest('hex');
  }

  const metrics = aggregator.result();
  await writeFile(join(dir, RUN_FILES.metrics), `${JSON.stringify(metrics, null, 2)}\n`);

  let status: RunStatus = options.status ?? 'completed';
  let statusReason = options.statusReason;
  if (errorCount > 0) {
    status = 'failed';
    const first = errors.slice(0, 3).map((e) => e.message).join('; ');
    statusReason = [statusReason, `${errorCount} invalid trace line(s) in ${RUN_FILES.traces}: ${first}`].filter(Boolean).join('; ');
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
    files: {},
  };
  await removeWriterLock(dir); // sealed: no writer any more, and the lock is not part of the record
  const { [RUN_FILES.manifest]: _manifestHash, ...others } = await hashRunFiles(dir, known);
  sealed.files = others;
  await writeManifest(dir, sealed);
  await writeFileAtomic(join(dir, RUN_FILES.sums), formatSha256Sums(await hashRunFiles(dir, { ...others })));
  return { manifest: sealed, metrics, errors, warnings };
}

/** One line per problem, for a terminal or a log. */
export function describeFinishProblems(result: FinishRunResult): string[] {
  return [...result.errors.map((e) => `error: ${e.message}`), ...result.warnings.map((w) => `warning: ${w}`)];
}

export { formatLocation };
