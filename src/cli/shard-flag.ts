import type { Shard } from '../../schemas/run-manifest.ts';
import { parseShard } from '../sdk/shard.ts';

/** `--shard i/n` → a shard, or undefined when the flag is absent. */
export function parseShardFlag(value: string | undefined): Shard | undefined {
  return value === undefined ? undefined : parseShard(value);
}
