import type { CompareInput } from '../compare/compare-runs.ts';
import { choosePlan, experimentUnderPlan, type RecordedPlan } from './plan-context.ts';

/**
 * Puts the plan in force (the last run's recorded plan) into a comparison's input: its
 * margins, mde and cluster key into the experiment, its alpha and power into the options, and
 * the plan itself for the engine to review. `recorded` is each run's recorded plan, in run
 * order. Options given explicitly (a seed, resamples) are kept; alpha and power come from the plan.
 */
export function applyPlan(input: CompareInput, recorded: ReadonlyArray<RecordedPlan | null>): CompareInput {
  const context = choosePlan(
    input.runs.map((r, i) => ({ id: r.manifest.id, recorded: recorded[i] ?? null })),
    input.experiment,
  );
  if (!context) return input;
  const kindOf = (name: string): 'boolean' | 'number' => {
    let booleans = 0;
    let others = 0;
    for (const run of input.runs) {
      for (const trace of run.traces) {
        for (const score of trace.scores ?? []) {
          if (score.name !== name || score.value === null || score.error !== undefined) continue;
          if (typeof score.value === 'boolean') booleans++;
          else others++;
        }
      }
    }
    return booleans > 0 && others === 0 ? 'boolean' : 'number';
  };
  return {
    ...input,
    experiment: experimentUnderPlan(input.experiment, context.plan, kindOf),
    options: { ...input.options, alpha: context.plan.alpha, power: context.plan.power },
    plan: context,
  };
}
