import type { CompareRecord } from './compare-record.ts';
import type { CompareInput } from './compare-runs.ts';
import { choosePlan, experimentUnderPlan, type RecordedPlan } from '../plan/plan-context.ts';

/**
 * Puts the plan in force (the last run's recorded plan) into a comparison's input: its
 * margins, mde and cluster key into the experiment, its alpha and power into the options, and
 * the plan itself for the engine to review. `recorded` is each run's recorded plan, in run
 * order. Options given explicitly (a seed, resamples) are kept; alpha and power come from the plan.
 *
 * Records carry the cluster value read when they were built, so when the plan changes the
 * cluster key, `recordsFor` rebuilds run i's records under the effective key (null: no key).
 * Without it the records are kept as built, which is right only when the key did not change.
 */
export function applyPlan(
  input: CompareInput,
  recorded: ReadonlyArray<RecordedPlan | null>,
  recordsFor?: (runIndex: number, clusterPath: string | undefined) => CompareRecord[],
): CompareInput {
  const context = choosePlan(
    input.runs.map((r, i) => ({ id: r.manifest.id, recorded: recorded[i] ?? null })),
    input.experiment,
  );
  if (!context) return input;
  const kindOf = (name: string): 'boolean' | 'number' => {
    let booleans = 0;
    let others = 0;
    for (const run of input.runs) {
      for (const record of run.records) {
        for (const score of record.scores) {
          // null: the evaluator failed, which says nothing of the metric's kind.
          if (score.name !== name || score.value === null) continue;
          if (typeof score.value === 'boolean') booleans++;
          else others++;
        }
      }
    }
    return booleans > 0 && others === 0 ? 'boolean' : 'number';
  };
  const experiment = experimentUnderPlan(input.experiment, context.plan, kindOf);
  const runs =
    recordsFor && (experiment.cluster ?? undefined) !== (input.experiment.cluster ?? undefined)
      ? input.runs.map((run, i) => ({ ...run, records: recordsFor(i, experiment.cluster ?? undefined) }))
      : input.runs;
  return {
    ...input,
    runs,
    experiment,
    options: { ...input.options, alpha: context.plan.alpha, power: context.plan.power },
    plan: context,
  };
}
