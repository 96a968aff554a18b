import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { parseJsonText } from '../json/parse-json.ts';
import type { Shard } from '../../schemas/run-manifest.ts';
import { exampleIdOf } from '../sdk/example.ts';
import { inShard } from '../sdk/shard.ts';

export interface DatasetCount {
  /** Non-blank lines: the dataset's examples. */
  examples: number;
  /**
   * Of those, the ones the run's shard takes (all of them without a shard). A line whose id
   * cannot be worked out (no `input`, an unusable `id`) counts as taken: it is the script's to
   * refuse, and a shard must not be thought empty because of it.
   */
  inShard: number;
}

/**
 * A JSON Lines dataset's examples, counted (for progress, and to know whether a shard has any
 * to record) once every non-blank line is known to be JSON. Checked before a run is made: a
 * broken line would otherwise surface as the evaluation script's own `JSON.parse` error, with no
 * file or line, and a failed run. Datasets in other formats are the script's to read, and are
 * not counted.
 */
export async function checkDataset(file: string, shard?: Shard): Promise<DatasetCount | undefined> {
  if (!existsSync(file) || !/\.jsonl$/i.test(file)) return undefined;
  const lines = (await readFile(file, 'utf8')).split('\n');
  const count: DatasetCount = { examples: 0, inShard: 0 };
  for (const [index, line] of lines.entries()) {
    if (line.trim() === '') continue;
    const example = parseJsonText(line, { file, line: index + 1 });
    count.examples++;
    if (takes(shard, example)) count.inShard++;
  }
  return count;
}

function takes(shard: Shard | undefined, example: unknown): boolean {
  if (!shard || shard.count === 1) return true;
  try {
    return inShard(exampleIdOf(example as { id?: unknown; input?: unknown }), shard);
  } catch {
    return true;
  }
}
