import { join } from 'node:path';
import { assertName } from './names.ts';

/**
 * Where everything lives under the data folder (`experiments/` by default):
 *
 *     <experiment>/experiment.yaml
 *     <experiment>/runs/<run-id>/{run.json, config.yaml, traces.jsonl, metrics.json, SHA256SUMS}
 *     <experiment>/annotations/*.yaml
 *     <experiment>/deployments/<id>.json
 *
 * Every function checks the names it joins, so no id can reach outside its folder.
 */
export const RUN_FILES = {
  manifest: 'run.json',
  config: 'config.yaml',
  traces: 'traces.jsonl',
  metrics: 'metrics.json',
  sums: 'SHA256SUMS',
  /** The experiment's plan.yaml as it was when the run was made (see schemas/eval-plan.ts). */
  plan: 'plan.yaml',
  /** Present while the run is being written: who will seal it (see writer-lock.ts). */
  writerLock: 'writer.lock',
  /** A torn last line set aside by `labbook repair` (see repair-run.ts). */
  tornTraces: 'traces.torn.jsonl',
} as const;

export function experimentDir(dataDir: string, experiment: string): string {
  return join(dataDir, assertName('experiment', experiment));
}

export function experimentFile(dataDir: string, experiment: string): string {
  return join(experimentDir(dataDir, experiment), 'experiment.yaml');
}

/** The committed evaluation plan of an experiment (schemas/eval-plan.ts). */
export function planFile(dataDir: string, experiment: string): string {
  return join(experimentDir(dataDir, experiment), 'plan.yaml');
}

export function runsDir(dataDir: string, experiment: string): string {
  return join(experimentDir(dataDir, experiment), 'runs');
}

export function runDir(dataDir: string, experiment: string, runId: string): string {
  return join(runsDir(dataDir, experiment), assertName('run', runId));
}

export function annotationsDir(dataDir: string, experiment: string): string {
  return join(experimentDir(dataDir, experiment), 'annotations');
}

export function deploymentsDir(dataDir: string, experiment: string): string {
  return join(experimentDir(dataDir, experiment), 'deployments');
}
