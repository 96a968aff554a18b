import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../test/helpers/temp-dir.ts';
import { exampleIdOf } from '../sdk/example.ts';
import { fnv1a32 } from '../sdk/shard.ts';
import { checkDataset } from './check-dataset.ts';
import { whenEmpty } from './empty-run.ts';

describe('a run that recorded no trace', () => {
  const dir = tempDir('labbook-empty-run-');
  const dataset = join(dir, 'data.jsonl');
  const ids = ['c', 'e', 'f', 'g', 'i', 'j', 'k', 'l']; // none hashes to shard 2 of 3, nor does the id-less line
  const shardOf = (id: string) => (fnv1a32(id) % 3) + 1;
  writeFileSync(dataset, ids.map((id) => JSON.stringify({ id, input: id })).join('\n\n') + '\n{"input":"no id: hashed from its input"}\n');

  it('counts the examples each shard takes, by the id hash the SDK shards by', async () => {
    const all = await checkDataset(dataset);
    expect(all).toEqual({ examples: 9, inShard: 9 });
    const byShard = [1, 2, 3].map((index) => checkDataset(dataset, { index, count: 3 }));
    const counts = (await Promise.all(byShard)).map((count) => count!.inShard);
    expect(counts.reduce((a, b) => a + b)).toBe(9); // every example in exactly one shard
    const hashed = shardOf(exampleIdOf({ input: 'no id: hashed from its input' }));
    expect(counts).toEqual([1, 2, 3].map((index) => ids.filter((id) => shardOf(id) === index).length + (hashed === index ? 1 : 0)));
    expect(counts).toContain(0); // these ids leave a shard empty, as more shards than examples would
  });

  it('counts a line whose id cannot be worked out in every shard, so no shard is thought empty because of it', async () => {
    const odd = join(dir, 'odd.jsonl');
    writeFileSync(odd, '{"id":{"not":"usable"},"input":1}\n');
    for (const index of [1, 2]) expect((await checkDataset(odd, { index, count: 2 }))!.inShard).toBe(1);
  });

  it('fails unless it is a shard with no example to record, or whose share cannot be known', () => {
    const none = { examples: 3, inShard: 0 };
    const some = { examples: 3, inShard: 1 };
    const fails = (...args: Parameters<typeof whenEmpty>) => whenEmpty(...args).finish.failIfEmpty !== undefined;
    const note = (...args: Parameters<typeof whenEmpty>) => whenEmpty(...args).explain(0);
    expect(fails(undefined, undefined)).toBe(true);
    expect(fails(undefined, none)).toBe(true);
    expect(fails({ index: 1, count: 1 }, undefined)).toBe(true);
    expect(fails({ index: 2, count: 2 }, some)).toBe(true);
    expect(fails({ index: 2, count: 2 }, none)).toBe(false);
    expect(fails({ index: 2, count: 2 }, undefined)).toBe(false); // a dataset the script reads itself
    expect(note({ index: 2, count: 2 }, none)).toBe(
      "shard 2/2 takes none of the dataset's 3 examples (each goes to the shard its id hashes to): nothing to record",
    );
    expect(note({ index: 2, count: 2 }, some)).toBeUndefined();
    expect(note({ index: 2, count: 2 }, undefined)).toBeUndefined();
  });
});
