import type { EvalPlan } from '../../schemas/eval-plan.ts';
import type { Experiment } from '../../schemas/experiment.ts';

// Pure (no file access): the site's compare page runs it in the browser.

/** The plan a comparison is held to, and which plan each run recorded. */
export interface PlanContext {
  plan: EvalPlan;
  /** `sha256:<hex>` of the plan's text, as run.json records it. */
  digest: string;
  /** Where the plan lives in the repository (run.json's plan.path). */
  path: string;
  /** False when the run recorded a plan.yaml that was not committed at its commit. */
  committed: boolean;
  /** The run whose recorded plan is in force: the last run given that recorded one. */
  run: string;
  /** The digest each run recorded, in run order (null: the run recorded no plan). */
  digests: Array<string | null>;
  /** experiment.yaml's margins and cluster key, before the plan overrode them (for the review). */
  experiment: { margins: Record<string, number>; cluster: string | null };
}

export interface RecordedPlan {
  plan: EvalPlan;
  digest: string;
  path: string;
  committed: boolean;
}

/**
 * The plan in force for runs given in comparison order (the first is the baseline): the plan
 * recorded by the last run that has one — the candidate, in a two-run comparison. Null when
 * no run recorded a plan.
 */
export function choosePlan(runs: ReadonlyArray<{ id: string; recorded: RecordedPlan | null }>, experiment: Experiment): PlanContext | null {
  const source = [...runs].reverse().find((r) => r.recorded !== null);
  if (!source) return null;
  const recorded = source.recorded!;
  return {
    plan: recorded.plan,
    digest: recorded.digest,
    path: recorded.path,
    committed: recorded.committed,
    run: source.id,
    digests: runs.map((r) => r.recorded?.digest ?? null),
    experiment: {
      margins: Object.fromEntries(experiment.metrics.flatMap((m) => (m.margin !== undefined ? [[m.name, m.margin]] : []))),
      cluster: experiment.cluster ?? null,
    },
  };
}

/**
 * experiment.yaml as the plan amends it. The plan wins where both speak: a planned metric's
 * margin replaces experiment.yaml's (metrics the plan leaves out keep theirs), its `mde`
 * becomes the metric's minEffect, and its cluster key replaces experiment.yaml's. A planned
 * metric experiment.yaml does not track is added after the tracked ones (direction higher, kind
 * `kindOf` tells from the data), so that its margin applies.
 */
export function experimentUnderPlan(
  experiment: Experiment,
  plan: EvalPlan,
  kindOf: (metric: string) => 'boolean' | 'number' = () => 'number',
): Experiment {
  const planned = new Map(plan.metrics.map((m) => [m.name, m]));
  const metrics = experiment.metrics.map((metric) => {
    const p = planned.get(metric.name);
    if (!p) return metric;
    return { ...metric, ...(p.margin !== undefined ? { margin: p.margin } : {}), ...(p.mde !== undefined ? { minEffect: p.mde } : {}) };
  });
  for (const p of plan.metrics) {
    if (experiment.metrics.some((m) => m.name === p.name)) continue;
    metrics.push({
      name: p.name,
      direction: 'higher',
      kind: kindOf(p.name),
      ...(p.margin !== undefined ? { margin: p.margin } : {}),
      ...(p.mde !== undefined ? { minEffect: p.mde } : {}),
    });
  }
  return { ...experiment, metrics, ...(plan.cluster !== undefined ? { cluster: plan.cluster } : {}) };
}
