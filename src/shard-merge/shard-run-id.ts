import { randomBytes } from 'node:crypto';
import type { Shard } from '../../schemas/run-manifest.ts';
import { newRunId } from '../store/run-id.ts';
import { slugify } from '../store/names.ts';

/** The CI workflow run a shard belongs to: GitHub's run id and attempt. */
interface WorkflowRunRef {
  runId: string;
  attempt: string;
}

/**
 * The id of one shard's run made by a CI job:
 * `20261127-042452-baseline-gh123456.1-s2of4-3f9a`. It still sorts by time like every run id;
 * the `gh<run>.<attempt>-s<i>of<n>` part lets the merge job find the shards of its workflow
 * run from the folder names alone, without reading every run of the experiment. The random
 * tail keeps two jobs of a wider matrix from ever sharing a folder.
 */
export function shardRunId(
  configName: string,
  workflow: WorkflowRunRef,
  shard: Shard,
  now: Date = new Date(),
  random: string = randomBytes(2).toString('hex'),
): string {
  return newRunId(configName, now, `gh${workflow.runId}.${workflow.attempt}-s${shard.index}of${shard.count}-${random}`);
}

interface ShardRunIdParts {
  workflowRunId: string;
  attempt: number;
  shard: Shard;
}

/**
 * Reads the parts back from an id made by `shardRunId` for this config, or null for any other
 * run. Only a hint for finding candidates: the run's own `run.json` has the final word.
 */
export function parseShardRunId(id: string, configName: string): ShardRunIdParts | null {
  const marker = `-${slugify(configName, 40)}-gh`;
  const at = id.lastIndexOf(marker);
  if (at === -1) return null;
  const match = /^(\d+)\.(\d+)-s(\d+)of(\d+)-[0-9a-f]+$/.exec(id.slice(at + marker.length));
  if (!match) return null;
  return { workflowRunId: match[1]!, attempt: Number(match[2]), shard: { index: Number(match[3]), count: Number(match[4]) } };
}
