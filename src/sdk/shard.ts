import type { Shard } from '../../schemas/run-manifest.ts';
import { UsageError } from '../errors/index.ts';

export type { Shard };

/** Parses `i/n` (1-based: `1/4` … `4/4`); anything else is a UsageError naming the value. */
export function parseShard(text: string): Shard {
  const match = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(text);
  if (!match) throw new UsageError(`invalid shard "${text}": expected i/n, e.g. 1/4`);
  const index = Number(match[1]);
  const count = Number(match[2]);
  if (count < 1 || !Number.isSafeInteger(count)) throw new UsageError(`invalid shard "${text}": the shard count must be at least 1`);
  if (index < 1 || index > count) throw new UsageError(`invalid shard "${text}": the shard index must be between 1 and ${count}`);
  return { index, count };
}

/**
 * FNV-1a, 32 bits, over the UTF-16 code units of the string. Chosen for sharding because it is
 * tiny, fast and identical in any language (the action and scripts in other languages reuse it);
 * it only has to spread ids evenly, not resist attack.
 */
export function fnv1a32(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/**
 * Whether an example belongs to a shard: `fnv1a32(exampleId) % count + 1 === index`. Decided
 * by the example id alone, so every shard job agrees without talking to the others and the
 * shards together cover every example exactly once. No shard means every example.
 */
export function inShard(exampleId: string, shard: Shard | undefined): boolean {
  if (!shard || shard.count === 1) return true;
  return (fnv1a32(exampleId) % shard.count) + 1 === shard.index;
}
