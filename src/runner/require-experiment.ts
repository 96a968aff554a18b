import { existsSync } from 'node:fs';
import { NotFoundError } from '../errors/index.ts';
import { experimentFile } from '../store/layout.ts';
import { listExperiments } from '../store/experiments.ts';

/**
 * Refuses a run in an experiment the data folder does not have, naming the ones it has: a typo
 * in `--experiment` would otherwise start a new experiment silently, and its runs would never be
 * compared with the others. `labbook init` or `labbook run --create` makes a new one.
 */
export async function requireExperiment(dataDir: string, experiment: string): Promise<void> {
  if (existsSync(experimentFile(dataDir, experiment))) return;
  const existing = await listExperiments(dataDir);
  const known = existing.length > 0 ? `experiments in ${dataDir}: ${existing.join(', ')}` : `${dataDir} has no experiments`;
  throw new NotFoundError(
    'experiment',
    experiment,
    `${known}; --create makes a new one, "labbook init --experiment ${experiment}" sets one up`,
  );
}
