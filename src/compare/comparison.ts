import type { Direction } from '../../schemas/experiment.ts';
import type { PlanReview } from './plan-review.ts';
import type { ConfigChange } from './config-diff.ts';

/**
 * The result of comparing 2–4 runs: the stable JSON contract documented in docs/compare.md.
 * Every field here is part of it; new fields may be added, none removed or renamed.
 */
export interface Comparison {
  schemaVersion: 1;
  experiment: string;
  /** Id of the baseline run (the first given); every delta is "run − baseline". */
  baseline: string;
  runs: ComparedRun[];
  settings: ComparisonSettings;
  alignment: AlignmentReport;
  /** Structural diff of each run's config against the baseline's. */
  configDiff: ConfigDiff[];
  metrics: MetricComparison[];
  /** Problems with the input as a whole (per-metric ones are on the metric). */
  warnings: string[];
  /** When a run recorded an evaluation plan: the plan in force and what it flags (src/compare/review-plan.ts). */
  plan?: PlanReview;
}

export interface ComparedRun {
  id: string;
  name: string;
  experiment: string;
  /** The config's name (`run.json` config.name). */
  config: string;
  status: string;
  createdAt: string;
  commit: string | null;
  traces: number;
}

export interface ComparisonSettings {
  confidence: number;
  /** Level at which an adjusted p-value counts as a detected difference. */
  alpha: number;
  /** Power assumed by the minimum-detectable-effect estimates. */
  power: number;
  /** 'cluster percentile' when a cluster bootstrap gave the intervals of the differences (option clusterInterval). */
  bootstrap: { method: 'paired percentile' | 'cluster percentile'; prng: 'mulberry32'; seed: number; resamples: number };
  correction: 'holm';
  /**
   * Present when experiment.yaml names a cluster key: means, differences and tests use
   * clustered standard errors (CR1, Miller 2024 Appendix A) instead of the bootstrap and the
   * rank tests. `missing`: matched examples without a value at the key (each its own cluster).
   */
  clusters?: { key: string; method: 'CR1 clustered t'; clusters: number; missing: number };
  /** How many p-values the Holm correction was applied across (all metrics × all deltas). */
  tests: number;
  /** Paired examples (clusters, with a cluster key) below which a delta's verdict is 'too few to compare'. */
  minPairs: number;
}

export interface AlignmentReport {
  /** What traces were matched on: the example id, or a hash of the input when no example id matched. */
  key: 'exampleId' | 'inputHash';
  /** Distinct examples over all runs. */
  examples: number;
  /** Examples present in every run: the paired sample. */
  matched: number;
  runs: AlignedRun[];
}

export interface AlignedRun {
  run: string;
  traces: number;
  /** Distinct examples of this run. */
  examples: number;
  /** The largest number of trials of one example in this run, when it has more than one. */
  trials?: number;
  /** Examples found in this run and in no other. */
  onlyIn: string[];
  /** Examples of other runs missing from this one. */
  missing: number;
  /**
   * Examples with more than one trace in this run. The first trace (file order) is compared;
   * the others are listed here and left out of the statistics.
   */
  duplicates: Array<{ example: string; traces: string[] }>;
}

export interface ConfigDiff {
  run: string;
  vs: string;
  changes: ConfigChange[];
}

export type MetricSource = 'score' | 'annotation' | 'latency' | 'tokens' | 'cost';
export type MetricKind = 'number' | 'boolean' | 'label';

/**
 * - `better` / `worse`: the Holm-adjusted p-value is below alpha and the mean moved in (or
 *   against) the metric's direction;
 * - `no detectable difference`: the test ran and did not reach alpha (it is not proof of equality);
 * - `different`: a label distribution changed (labels have no direction);
 * - `not compared`: no paired values (the metric is missing from a run, or nothing matched).
 */
export type Verdict = 'better' | 'worse' | 'no detectable difference' | 'different' | 'not compared' | 'too few to compare';

/**
 * Below this many paired examples (clusters, with a cluster key) no verdict is given. Five
 * pairs cannot reach p < 0.05 with the exact tests used here (Wilcoxon's smallest two-sided p
 * at n = 5 is 2/2⁵ = 0.0625, McNemar's with 5 discordant pairs the same), so a verdict there
 * could only ever read "no detectable difference" — a statement about the sample, not the runs.
 */
export const MIN_PAIRS_FOR_VERDICT = 6;

/** A delta's verdict as shown to people: "too few to compare (n = 3)" names the sample. */
export function verdictText(metric: Pick<MetricComparison, 'n' | 'clusters'>, verdict: Verdict): string {
  if (verdict !== 'too few to compare') return verdict;
  return metric.clusters !== undefined
    ? `too few to compare (n = ${metric.n}, ${metric.clusters} clusters)`
    : `too few to compare (n = ${metric.n})`;
}

export type TestName =
  | 'wilcoxon-exact'
  | 'wilcoxon-permutation'
  | 'wilcoxon-normal'
  | 'mcnemar-exact'
  | 'mcnemar-chi2-cc'
  | 'chi2'
  | 'chi2-yates'
  | 'fisher-exact'
  /** Clustered paired t: the mean difference over its clustered SE, G − 1 degrees of freedom. */
  | 'clustered-t';

export interface MetricComparison {
  name: string;
  source: MetricSource;
  kind: MetricKind;
  /** Which way is better; null for labels. */
  direction: Direction | null;
  /** The experiment's primary metric (decides per-trace winners). */
  primary: boolean;
  /** From experiment.yaml: the smallest difference that matters. */
  minEffect: number | null;
  /** Examples where every run has a usable value: the sample of the means and the deltas. */
  n: number;
  /** With a cluster key: the number of clusters among the n examples. */
  clusters?: number;
  runs: MetricRunSummary[];
  deltas: MetricDelta[];
  warnings: string[];
}

export interface MetricRunSummary {
  run: string;
  /** Mean over the n paired examples (a pass rate for booleans; null for labels). */
  mean: number | null;
  /**
   * 95% CI of the mean: Student t for numbers, Wilson for pass rates; with a cluster key,
   * t with the clustered SE on (clusters − 1) df, and Wilson on n / design effect. An annotation
   * metric with a declared [min, max]: Wilson on the values rescaled to [0, 1] ('wilson-bounded').
   * Truncated to the values the mean can take: [0, ∞) for latency, tokens and cost, the declared
   * [min, max] of an annotation metric (metric-specs.ts, `valueRange`).
   */
  ci: [number, number] | null;
  ciMethod: 't' | 'wilson' | 'wilson-bounded' | 'clustered-t' | 'wilson-clustered' | null;
  /** With a cluster key: the clustered variance of the mean over the independent one. */
  designEffect?: number | null;
  /** Matched examples where this run has no usable value (error, null, NaN/∞, wrong kind). */
  missing: number;
  /**
   * The number of values behind `mean` and `ci`: the metric's paired n, except for annotation
   * metrics, whose per-run mean uses every annotated example of the run (so it does not depend
   * on which other runs are compared). Absent for labels.
   */
  n?: number;
  /**
   * A run with several trials per example: mean trials per example, the within-example share
   * of the variance, and the factor by which doubling the trials would shrink the SE.
   */
  trials?: { k: number; withinShare: number | null; seRatioAtDoubleK: number | null; passK?: number; passAtK?: number; passHatK?: number };
  /** Label counts over the n paired examples (labels only). */
  counts?: Record<string, number>;
}

export interface MetricDelta {
  /** The run compared with the baseline. */
  run: string;
  /** The baseline run. */
  vs: string;
  /** mean(run) − mean(baseline) over the paired examples; null for labels. */
  delta: number | null;
  /** Paired bootstrap percentile interval of `delta`; with a cluster key, the clustered t interval. */
  ci: [number, number] | null;
  /** With a cluster key: the clustered variance of the mean difference over the independent one. */
  designEffect?: number | null;
  test: TestName | null;
  statistic: number | null;
  pValue: number | null;
  /** Holm-adjusted across every p-value of this comparison. */
  pAdjusted: number | null;
  verdict: Verdict;
  /** Smallest mean difference detectable with 80% power at alpha (paired t approximation). */
  minDetectable: number | null;
  /** With a `margin` for the metric in experiment.yaml: the non-inferiority gate's answer. */
  nonInferiority?: NonInferiority;
  /** Labels only: total variation distance between the two label distributions (0–1). */
  distance?: number;
}

/** The non-inferiority gate of one delta (see docs/compare.md, "Non-inferiority"). */
export interface NonInferiority {
  /** δ from experiment.yaml, in the metric's units. */
  margin: number;
  decision: 'pass' | 'fail' | 'indeterminate';
  /** One sentence a reviewer can read in the PR comment. */
  reason: string;
  /** Indeterminate only: paired examples the observed spread says a decision needs. */
  examplesNeeded: number | null;
}
