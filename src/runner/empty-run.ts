import type { Shard } from '../../schemas/run-manifest.ts';
import type { DatasetCount } from './check-dataset.ts';
import { countNoun } from '../text/count-noun.ts';

/**
 * Whether a run whose command recorded no trace at all has failed. A command runs to record
 * traces, so an empty run is an agent not instrumented, exporting elsewhere or skipping every
 * example, and sealing it `completed` would let a CI job pass having evaluated nothing. The
 * exception is a shard with nothing to do: one the dataset's examples all hash past (more shards
 * than examples), or one whose share cannot be known (no JSON Lines dataset), which stays
 * `completed` with a note.
 */
function emptyRunFails(shard: Shard | undefined, dataset: DatasetCount | undefined): boolean {
  if (!shard || shard.count === 1) return true;
  return dataset !== undefined && dataset.inShard > 0;
}

/** The reason an empty run is sealed `failed` with. */
export const NO_TRACES_REASON = 'the command recorded no traces';

/** What an empty shard that did not fail says, instead of the hint on how traces get into a run. */
function emptyShardNote(shard: Shard, dataset: DatasetCount | undefined): string | undefined {
  if (!dataset) return undefined;
  if (dataset.inShard > 0) return undefined;
  return `shard ${shard.index}/${shard.count} takes none of the dataset's ${countNoun(dataset.examples, 'example')} (each goes to the shard its id hashes to): nothing to record`;
}

/**
 * What a run of this shard and dataset does if its command records nothing, for both runners
 * (`labbook run` and the action): `finish` goes to finishRun, and `explain` says, once the run
 * is sealed with `traces` traces, why an empty shard is nonetheless completed.
 */
export function whenEmpty(
  shard: Shard | undefined,
  dataset: DatasetCount | undefined,
): { finish: { failIfEmpty?: string }; explain(traces: number): string | undefined } {
  return {
    finish: emptyRunFails(shard, dataset) ? { failIfEmpty: NO_TRACES_REASON } : {},
    explain: (traces) => (shard && traces === 0 ? emptyShardNote(shard, dataset) : undefined),
  };
}
