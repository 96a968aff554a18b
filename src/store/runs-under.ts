import { existsSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { NotFoundError } from '../errors/index.ts';
import { RUN_FILES, runDir } from './layout.ts';
import { listRunIds } from './store.ts';
import { listExperiments } from './experiments.ts';

/**
 * The run folders a path stands for, as commands that take `[path]` read it: a run folder, an
 * experiment folder (its runs), or a data folder (every experiment's runs), oldest first.
 */
export async function runDirsUnder(path: string): Promise<string[]> {
  const target = resolve(path);
  if (!existsSync(target) || !statSync(target).isDirectory())
    throw new NotFoundError('file', path, 'give a data, experiment or run folder');
  if (existsSync(join(target, RUN_FILES.manifest))) return [target];
  if (existsSync(join(target, 'experiment.yaml'))) {
    const dataDir = dirname(target);
    return (await listRunIds(dataDir, basename(target))).map((id) => runDir(dataDir, basename(target), id));
  }
  const dirs: string[] = [];
  for (const experiment of await listExperiments(target)) {
    for (const id of await listRunIds(target, experiment)) dirs.push(runDir(target, experiment, id));
  }
  return dirs;
}
