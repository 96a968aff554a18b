import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { RunSource, RunStatus } from '../../schemas/run-manifest.ts';
import { LabbookError } from '../errors/index.ts';
import { finishRun, type FinishRunResult } from '../store/finish-run.ts';
import { streamTraceLines } from '../store/trace-storage.ts';
import { RUN_FILES } from '../store/layout.ts';
import { newRunId } from '../store/run-id.ts';
import { createRun } from '../store/run-writer.ts';
import { TraceWriter } from '../store/trace-writer.ts';
import type { ShardCandidate } from './select-shard-runs.ts';

interface MergeShardRunsOptions {
  /** The shard runs to join, at most one per index (see `selectShardRuns`). */
  shards: ShardCandidate[];
  /** Shard indexes that never arrived; the merged run is then `partial` and names them. */
  missing: number[];
  /** Where the merged run is written (`experiments/`). */
  dataDir: string;
  /** The job that merges: the merged run's own provenance. */
  source: RunSource;
  runId?: string;
  now?: Date;
}

interface MergeShardRunsResult {
  dir: string;
  finished: FinishRunResult;
}

/**
 * Joins the shard runs of one evaluation into one run: their traces concatenated in shard
 * order, metrics, counts and sums recomputed by `finishRun`, and `merge.shards` /
 * `merge.missing` recorded in `run.json`. The shard runs themselves are only read.
 *
 * The status is the worst of the parts: `failed` if a shard failed, else `partial` if a shard
 * is missing or was interrupted, else `completed`; `statusReason` names the shards.
 */
export async function mergeShardRuns(options: MergeShardRunsOptions): Promise<MergeShardRunsResult> {
  const shards = [...options.shards].sort((a, b) => a.manifest.shard!.index - b.manifest.shard!.index);
  const first = shards[0];
  if (!first) throw new LabbookError('no shard runs to merge');
  checkSameEvaluation(shards);
  const count = first.manifest.shard!.count;
  const now = options.now ?? new Date();

  const { dir } = await createRun({
    dataDir: options.dataDir,
    experiment: first.manifest.experiment,
    configPath: join(first.dir, RUN_FILES.config),
    name: first.manifest.name,
    source: options.source,
    code: first.manifest.code,
    // The shards ran under one plan (checkSameEvaluation compares their digests): keep it.
    plan: first.manifest.plan
      ? {
          path: first.manifest.plan.path,
          text: await readFile(join(first.dir, RUN_FILES.plan), 'utf8'),
          committed: first.manifest.plan.committed,
        }
      : null,
    now,
    runId: options.runId ?? newRunId(first.manifest.config.name, now),
  });

  const writer = new TraceWriter(dir);
  try {
    for (const shard of shards) {
      for await (const { entry } of streamTraceLines(shard.dir, { manifest: shard.manifest })) {
        // A line too long to hold is kept out; finishRun of the shard already reported it.
        if (entry.text !== undefined) writer.appendLine(entry.text);
      }
    }
  } finally {
    writer.close();
  }

  const { status, reason } = mergedStatus(shards, options.missing, count);
  const finished = await finishRun(dir, {
    status,
    statusReason: reason,
    now,
    patch: {
      config: first.manifest.config,
      dataset: first.manifest.dataset,
      merge: { shards: shards.map((s) => ({ index: s.manifest.shard!.index, runId: s.manifest.id })), missing: [...options.missing] },
    },
  });
  return { dir, finished };
}

/** Shards of one evaluation share the experiment, the config, the commit and the shard count. */
function checkSameEvaluation(shards: ShardCandidate[]): void {
  const first = shards[0]!.manifest;
  for (const { manifest } of shards) {
    const differs = (what: string, a: unknown, b: unknown) =>
      new LabbookError(`cannot merge ${manifest.id} with ${first.id}: their ${what} differ (${String(a)} vs ${String(b)})`);
    if (!manifest.shard) throw new LabbookError(`cannot merge ${manifest.id}: it is not a shard run`);
    if (manifest.experiment !== first.experiment) throw differs('experiments', manifest.experiment, first.experiment);
    if (manifest.config.digest !== first.config.digest) throw differs('configs', manifest.config.digest, first.config.digest);
    if (manifest.code.commit !== first.code.commit) throw differs('commits', manifest.code.commit, first.code.commit);
    if (manifest.plan?.digest !== first.plan?.digest) throw differs('plans', manifest.plan?.digest ?? 'none', first.plan?.digest ?? 'none');
    if (manifest.shard.count !== first.shard!.count) throw differs('shard counts', manifest.shard.count, first.shard!.count);
  }
  const indexes = shards.map((s) => s.manifest.shard!.index);
  if (new Set(indexes).size !== indexes.length)
    throw new LabbookError(`cannot merge: shard ${indexes.find((i, n) => indexes.indexOf(i) !== n)} is given twice`);
}

function mergedStatus(
  shards: ShardCandidate[],
  missing: number[],
  count: number,
): { status: Exclude<RunStatus, 'running'>; reason?: string } {
  const describe = (s: ShardCandidate) =>
    `shard ${s.manifest.shard!.index}/${count} (${s.manifest.id}) is ${s.manifest.status}${s.manifest.statusReason ? `: ${s.manifest.statusReason}` : ''}`;
  const failed = shards.filter((s) => s.manifest.status === 'failed' || s.manifest.status === 'running');
  const partial = shards.filter((s) => s.manifest.status === 'partial');
  const reasons = [
    ...(missing.length > 0 ? [`missing shard${missing.length > 1 ? 's' : ''} ${missing.join(', ')} of ${count}: no run arrived`] : []),
    ...failed.map(describe),
    ...partial.map(describe),
  ];
  if (failed.length > 0) return { status: 'failed', reason: reasons.join('; ') };
  if (reasons.length > 0) return { status: 'partial', reason: reasons.join('; ') };
  return { status: 'completed' };
}
