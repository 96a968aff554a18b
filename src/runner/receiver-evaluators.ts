import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { EvaluatorConfig } from '../../schemas/experiment.ts';
import type { Evaluator } from '../sdk/evaluators/evaluator.ts';
import { experimentDir } from '../store/layout.ts';
import { readExperiment } from '../store/experiments.ts';

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
  // The built-in evaluators load only for a run that uses one, not before every run's command.
  if (configured.length === 0 && fromFlags.length === 0) return [];
  const [{ normalizeEvaluators }, { evaluatorFromConfig }] = await Promise.all([
    import('../sdk/evaluators/evaluator.ts'),
    import('../sdk/evaluators/from-config.ts'),
  ]);
  const evaluators = [
    ...configured.map((config, i) => evaluatorFromConfig(config, `experiments/${experiment}/experiment.yaml evaluators[${i}]`)),
    ...fromFlags.map((config) => evaluatorFromConfig(config, `--evaluator ${config.name ? `${config.name}=` : ''}${config.use}`)),
  ];
  return normalizeEvaluators(evaluators);
}
