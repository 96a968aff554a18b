import { UsageError } from '../errors/index.ts';
import { RUN_ENV } from '../store/run-env.ts';

/** LABBOOK_TRIALS, set by `labbook run --trials K` and the action's `trials` input; 1 when unset. */
export function trialsFromEnv(env: NodeJS.ProcessEnv): number {
  const raw = env[RUN_ENV.trials];
  if (raw === undefined || raw === '') return 1;
  const trials = Number(raw);
  if (!(Number.isInteger(trials) && trials >= 1 && trials <= 10_000)) {
    throw new UsageError(`${RUN_ENV.trials} must be a whole number from 1 to 10000, got "${raw}"`);
  }
  return trials;
}
