import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { EvaluatorConfig } from '../../schemas/experiment.ts';
import { normalizeEvaluators, type Evaluator } from '../sdk/evaluators/evaluator.ts';
import { evaluatorFromConfig } from '../sdk/evaluators/from-config.ts';
import { experimentDir } from '../store/layout.ts';
import { readExperiment } from '../store/store.ts';

/**
 * The evaluators a run's OTLP receiver applies: experiment.yaml's `evaluators:`, then the
 * command line's. Built (and checked) before the command starts, so a wrong option stops the
 * run instead of failing every trace.
 */
export async function receiverEvaluators(dataDir: string, experiment: string, fromFlags: readonly EvaluatorConfig[]): Promise<Evaluator[]> {
  // An experiment `--create` is about to make has no evaluators yet.
  const configured = existsSync(join(experimentDir(dataDir, experiment), 'experiment.yaml'))
    ? ((await readExperiment(dataDir, experiment)).evaluators ?? [])
    : [];
  const evaluators = [
    ...configured.map((config, i) => evaluatorFromConfig(config, `experiments/${experiment}/experiment.yaml evaluators[${i}]`)),
    ...fromFlags.map((config) => evaluatorFromConfig(config, `--evaluator ${config.name ? `${config.name}=` : ''}${config.use}`)),
  ];
  return normalizeEvaluators(evaluators);
}
