import type { RunManifest } from '../../schemas/run-manifest.ts';

export interface ShardCandidate {
  dir: string;
  manifest: RunManifest;
}

interface ShardSelection {
  /** One run per shard index, by index. */
  chosen: ShardCandidate[];
  /** Shard indexes (1-based) for which no run arrived. */
  missing: number[];
  count: number;
  /** Runs passed over, with the reason: another attempt of the same shard, or not a match. */
  ignored: { runId: string; reason: string }[];
}

interface ShardSelectionCriteria {
  /** GitHub's workflow run id: shards of other workflow runs are never mixed in. */
  workflowRunId: string;
  repository: string;
  configName: string;
}

/**
 * Picks the shard runs of one workflow run and config. A shard evaluated more than once
 * (GitHub's "re-run failed jobs" makes a new attempt of the same workflow run) counts once:
 * the latest attempt, then the latest start, wins. Returns null when no shard run matches.
 */
export function selectShardRuns(candidates: ShardCandidate[], criteria: ShardSelectionCriteria): ShardSelection | null {
  const ignored: ShardSelection['ignored'] = [];
  const matching = candidates.filter(({ manifest }) => {
    const source = manifest.source;
    const ok =
      manifest.shard !== undefined &&
      source.kind === 'ci' &&
      source.workflowRunId === criteria.workflowRunId &&
      source.repository === criteria.repository &&
      manifest.config.name === criteria.configName;
    if (!ok) ignored.push({ runId: manifest.id, reason: 'not a shard of this workflow run and config' });
    return ok;
  });
  if (matching.length === 0) return null;

  const byIndex = new Map<number, ShardCandidate>();
  const rank = (c: ShardCandidate) =>
    [Number(c.manifest.source.kind === 'ci' ? c.manifest.source.workflowRunAttempt : 0), Date.parse(c.manifest.createdAt)] as const;
  for (const candidate of matching) {
    const index = candidate.manifest.shard!.index;
    const held = byIndex.get(index);
    if (!held) {
      byIndex.set(index, candidate);
      continue;
    }
    const [a1, t1] = rank(candidate);
    const [a2, t2] = rank(held);
    const newer = a1 > a2 || (a1 === a2 && (t1 > t2 || (t1 === t2 && candidate.manifest.id > held.manifest.id)));
    const loser = newer ? held : candidate;
    if (newer) byIndex.set(index, candidate);
    ignored.push({ runId: loser.manifest.id, reason: `shard ${index} was evaluated again in ${(newer ? candidate : held).manifest.id}` });
  }

  const count = Math.max(...matching.map((c) => c.manifest.shard!.count));
  const chosen = [...byIndex.entries()].sort(([a], [b]) => a - b).map(([, c]) => c);
  const missing: number[] = [];
  for (let index = 1; index <= count; index++) if (!byIndex.has(index)) missing.push(index);
  return { chosen, missing, count, ignored };
}
