import { existsSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { NAME_PATTERN } from '../../schemas/names.ts';

/**
 * The folders in `dir` with a valid name that hold `file`, sorted: the experiments of a data
 * folder (`experiment.yaml`) and the runs of an experiment (`run.json`). None when `dir` is absent.
 */
export async function namedFoldersHolding(dir: string, file: string): Promise<string[]> {
  if (!existsSync(dir)) return [];
  const entries = await readdir(dir, { withFileTypes: true });
  return entries
    .filter((e) => e.isDirectory() && NAME_PATTERN.test(e.name) && existsSync(join(dir, e.name, file)))
    .map((e) => e.name)
    .sort();
}
