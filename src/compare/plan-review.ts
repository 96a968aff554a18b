/*
 * The shape of `comparison.plan`: its own module so comparison.ts can name it without
 * importing the code that computes it (review-plan.ts), which reads comparisons.
 */

export type PlanFlagKind =
  'plan-changed' | 'plans-differ' | 'plan-uncommitted' | 'sample-below-plan' | 'trials-below-plan' | 'metric-not-compared';

/** Something a reviewer should know before trusting the comparison under its plan. */
export interface PlanFlag {
  kind: PlanFlagKind;
  message: string;
  metric?: string;
  run?: string;
}

/** Whether one delta of a planned metric has the sample the plan asks for. */
export interface PlanSample {
  metric: string;
  run: string;
  /** Paired examples compared. */
  n: number;
  /** Paired examples the plan needs: its sampleSize, the mde from the observed spread, or what the gate needs. Null: cannot tell. */
  needed: number | null;
  /** What set `needed`. */
  basis: 'sampleSize' | 'mde' | 'margin' | null;
  enough: boolean | null;
}

/** `comparison.plan`: the plan a comparison was held to, and what it flags (docs/compare.md, "Eval plan"). */
export interface PlanReview {
  digest: string;
  path: string;
  committed: boolean;
  /** The run whose recorded plan is in force. */
  run: string;
  alpha: number;
  power: number;
  sampleSize: number | null;
  cluster: string | null;
  trials: number | null;
  /** Each planned metric, with where its margin came from (the plan wins over experiment.yaml). */
  metrics: Array<{ name: string; margin: number | null; marginFrom: 'plan' | 'experiment.yaml' | null; mde: number | null }>;
  /** Did the baseline run under this same plan? `none`: it recorded no plan. */
  baseline: 'same' | 'changed' | 'none';
  samples: PlanSample[];
  flags: PlanFlag[];
}
