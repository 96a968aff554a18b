import type { Annotation } from '../../schemas/annotation.ts';
import type { Experiment } from '../../schemas/experiment.ts';
import type { RunManifest } from '../../schemas/run-manifest.ts';
import { LabbookError, UsageError } from '../errors/index.ts';
import { holmAdjust } from '../stats/holm.ts';
import { pairedBootstrapMeans } from '../stats/paired-bootstrap.ts';
import { type Alignment, alignRuns } from './align.ts';
import type { CompareRecord } from './compare-record.ts';
import { type AnnotationIndex, indexAnnotations } from './annotation-index.ts';
import { readClusterIds } from './cluster-ids.ts';
import { type AnalysisSettings, type MetricAnalysis, analyzeMetric } from './analyze-metric.ts';
import { clusterBootstrapMeans } from '../stats/cluster-bootstrap.ts';
import { MIN_PAIRS_FOR_VERDICT, type Comparison, type ComparisonSettings, type MetricComparison, type Verdict } from './comparison.ts';
import { diffConfigs } from './config-diff.ts';
import { type MetricSpec, findMetricSpecs } from './metric-specs.ts';
import { readMetricColumns } from './metric-values.ts';
import { nonInferiorityDecision } from './non-inferiority.ts';
import type { PlanContext } from '../plan/plan-context.ts';
import { reviewPlan } from './review-plan.ts';
import { noSharedExampleText } from './no-shared-example.ts';

export interface RunToCompare {
  manifest: RunManifest;
  /** One record per trace, in file order (compareRecordsFromTraces, or the site's from rows). */
  records: readonly CompareRecord[];
  /** The run's config.yaml as a mapping. */
  config: Record<string, unknown>;
}

export interface CompareInput {
  /** 2–4 runs; the first is the baseline. */
  runs: readonly RunToCompare[];
  /** The experiment (experiment.yaml) the runs belong to: directions, minEffect, primary metric. */
  experiment: Experiment;
  /** Annotations of these runs (others are ignored). */
  annotations?: readonly Annotation[];
  options?: CompareOptions;
  /**
   * The evaluation plan in force (src/plan/): the caller has already applied its margins,
   * cluster key, alpha and power to `experiment` and `options`; the engine only reports it.
   */
  plan?: PlanContext;
}

export interface CompareOptions {
  /** Seed of the bootstrap's PRNG. Default DEFAULT_SEED. */
  seed?: number;
  /** Bootstrap resamples. Default DEFAULT_RESAMPLES. */
  resamples?: number;
  /** Significance level (default 0.05); intervals are at 1 − alpha. From an eval plan. */
  alpha?: number;
  /** Power of the minimum-detectable-effect figures (default 0.8). From an eval plan. */
  power?: number;
  /**
   * With a cluster key, the interval of a difference: the clustered t interval (default) or a
   * cluster bootstrap ('cluster-bootstrap': whole clusters resampled with the seed above).
   */
  clusterInterval?: 'clustered-t' | 'cluster-bootstrap';
}

export const DEFAULT_SEED = 20240611;
export const DEFAULT_RESAMPLES = 2000;
/**
 * Past this the interval's ends move by less than its own Monte Carlo error at the default,
 * while time and memory grow with each resample (10⁸ took 39 s and 2.4 GB on five traces).
 */
const MAX_RESAMPLES = 100_000;
export const MIN_RUNS = 2;
export const MAX_RUNS = 4;
const DEFAULT_ALPHA = 0.05;
const DEFAULT_POWER = 0.8;

/** What both the metric comparison and the per-trace rows are computed from. */
export interface PreparedComparison {
  runIds: string[];
  alignment: Alignment;
  specs: MetricSpec[];
  annotations: AnnotationIndex;
}

/** Checks the input and aligns the runs; throws UsageError for a wrong number of runs or a repeated run. */
export function prepareComparison(input: CompareInput): PreparedComparison {
  const { runs } = input;
  if (runs.length < MIN_RUNS || runs.length > MAX_RUNS) {
    throw new UsageError(`compare needs ${MIN_RUNS} to ${MAX_RUNS} runs, got ${runs.length}`);
  }
  const runIds = runs.map((r) => r.manifest.id);
  const repeated = runIds.find((id, i) => runIds.indexOf(id) !== i);
  if (repeated !== undefined) throw new UsageError(`run ${repeated} is given more than once; compare different runs`);
  // Means are taken over the examples every run shares: a run with no trace leaves none, and
  // every figure of the others would read "—" with no reason given.
  const empty = runs.findIndex((r) => r.records.length === 0);
  if (empty !== -1) {
    const { manifest } = runs[empty]!;
    throw new LabbookError(
      `run ${String.fromCharCode(65 + empty)} (${manifest.id}, ${manifest.status}) has no traces, so there is no example to compare on; compare runs that recorded traces`,
    );
  }
  const bare = runs.map((r) => ({ id: r.manifest.id, records: r.records }));
  const wanted = new Set(runIds);
  const annotations = indexAnnotations((input.annotations ?? []).filter((a) => wanted.has(a.run)));
  return { runIds, alignment: alignRuns(bare), specs: findMetricSpecs(bare, input.experiment, annotations), annotations };
}

/**
 * Compares 2–4 runs of one experiment on the examples they share, against the first run:
 * every score, annotation metric, latency, tokens and cost, with paired tests, paired
 * bootstrap intervals, Holm-corrected p-values and a verdict per metric (see docs/compare.md).
 * Pure: no I/O, and the same input and options give the same output, byte for byte.
 * Problems that leave something comparable (different experiments, unmatched or duplicate
 * examples, a metric missing from a run, NaN scores) become warnings, not errors.
 */
export function compareRuns(input: CompareInput, prepared: PreparedComparison = prepareComparison(input)): Comparison {
  const seed = input.options?.seed ?? DEFAULT_SEED;
  const resamples = input.options?.resamples ?? DEFAULT_RESAMPLES;
  if (!Number.isInteger(resamples) || resamples < 100 || resamples > MAX_RESAMPLES)
    throw new UsageError(`bootstrap resamples must be a whole number from 100 to ${MAX_RESAMPLES}, got ${resamples}`);
  if (!Number.isInteger(seed)) throw new UsageError(`bootstrap seed must be an integer, got ${seed}`);
  const alpha = input.options?.alpha ?? DEFAULT_ALPHA;
  const power = input.options?.power ?? DEFAULT_POWER;
  if (!(alpha > 0 && alpha < 1) || !(power > 0 && power < 1))
    throw new UsageError(`alpha and power must lie between 0 and 1, got ${alpha} and ${power}`);
  // 1 − α in floating point: 0.95 for the default, so intervals stay bit for bit as before.
  const confidence = Number((1 - alpha).toPrecision(12));
  const { runs, experiment } = input;
  const { runIds, alignment, specs, annotations } = prepared;
  const bare = runs.map((r) => ({ id: r.manifest.id, records: r.records }));
  const clusters = experiment.cluster ? readClusterIds(experiment.cluster, runs[0]!.records, alignment.index[0]!) : null;
  const analysisSettings: AnalysisSettings = { confidence, alpha, power, clusters: clusters?.ids ?? null };

  const analyses = specs.map((spec) =>
    analyzeMetric(spec, readMetricColumns(spec, bare, alignment.index, annotations, alignment.trials), runIds, analysisSettings),
  );
  const clusterBootstrap = clusters !== null && input.options?.clusterInterval === 'cluster-bootstrap';
  bootstrapIntervals(analyses, { seed, resamples, confidence }, clusterBootstrap ? clusters.ids : null);
  const tests = applyHolmAndVerdicts(analyses, alpha);
  applyNonInferiority(analyses, specs, alpha, power);

  const settings: ComparisonSettings = {
    confidence,
    alpha,
    power,
    bootstrap: { method: clusterBootstrap ? 'cluster percentile' : 'paired percentile', prng: 'mulberry32', seed, resamples },
    correction: 'holm',
    tests,
    minPairs: MIN_PAIRS_FOR_VERDICT,
  };
  const warnings = inputWarnings(input, prepared);
  if (clusters) {
    settings.clusters = { key: clusters.key, method: 'CR1 clustered t', clusters: new Set(clusters.ids).size, missing: clusters.missing };
    if (clusters.missing > 0) {
      warnings.push(
        `${clusters.missing} of ${clusters.ids.length} matched examples have no ${clusters.key} in the baseline's trace: each counts as a cluster of its own`,
      );
    }
  }
  const comparison: Comparison = {
    schemaVersion: 1,
    experiment: experiment.name,
    baseline: runIds[0]!,
    runs: runs.map((r) => ({
      id: r.manifest.id,
      name: r.manifest.name,
      experiment: r.manifest.experiment,
      config: r.manifest.config.name,
      status: r.manifest.status,
      createdAt: r.manifest.createdAt,
      commit: r.manifest.code.commit,
      traces: r.records.length,
    })),
    settings,
    alignment: alignment.report,
    configDiff: runs.slice(1).map((r) => ({ run: r.manifest.id, vs: runIds[0]!, changes: diffConfigs(runs[0]!.config, r.config) })),
    metrics: analyses.map((a) => a.comparison),
    warnings,
  };
  if (input.plan) comparison.plan = reviewPlan(input.plan, comparison);
  return comparison;
}

/**
 * Fills in the bootstrap interval of every numeric delta. Deltas over the same paired rows are
 * resampled together in one pass (most metrics share all rows), which costs one random draw
 * per row instead of one per row and metric; each group restarts the PRNG from the seed, so a
 * delta's interval depends only on its own data, the seed and the resample count.
 */
function bootstrapIntervals(
  analyses: MetricAnalysis[],
  options: { seed: number; resamples: number; confidence: number },
  clusterIds: ArrayLike<number> | null,
): void {
  for (const analysis of analyses) {
    for (const diff of analysis.differences) {
      // Clustered differences keep their clustered t interval unless a cluster bootstrap is asked for.
      if (!diff.clustered || !clusterIds) continue;
      const ids = Array.from(diff.rows, (i) => clusterIds[i]!);
      analysis.comparison.deltas[diff.deltaIndex]!.ci = clusterBootstrapMeans([diff.values], ids, options)[0] ?? null;
    }
  }
  const groups = new Map<
    string,
    Array<{ rows: Int32Array; jobs: Array<{ analysis: MetricAnalysis; deltaIndex: number; values: Float64Array }> }>
  >();
  for (const analysis of analyses) {
    for (const diff of analysis.differences) {
      if (diff.clustered) continue;
      const key = rowsKey(diff.rows);
      const bucket = groups.get(key) ?? [];
      let group = bucket.find((g) => sameRows(g.rows, diff.rows));
      if (!group) {
        group = { rows: diff.rows, jobs: [] };
        bucket.push(group);
        groups.set(key, bucket);
      }
      group.jobs.push({ analysis, deltaIndex: diff.deltaIndex, values: diff.values });
    }
  }
  for (const bucket of groups.values()) {
    for (const group of bucket) {
      const intervals = pairedBootstrapMeans(
        group.jobs.map((job) => job.values),
        options,
      );
      group.jobs.forEach((job, c) => {
        job.analysis.comparison.deltas[job.deltaIndex]!.ci = intervals[c] ?? null;
      });
    }
  }
}

function rowsKey(rows: Int32Array): string {
  // FNV-1a over the row numbers; equal keys are confirmed with sameRows.
  let h = 0x811c9dc5;
  for (const r of rows) h = Math.imul(h ^ r, 0x01000193) >>> 0;
  return `${rows.length}:${h}`;
}

function sameRows(a: Int32Array, b: Int32Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * Holm across every p-value of the comparison (all metrics × all runs against the baseline),
 * then the verdicts. Returns the family size.
 *
 * A verdict of better/worse needs the adjusted p-value below alpha AND the test and the mean
 * difference to point the same way. Wilcoxon looks at the typical example, the delta at the
 * mean: with skewed differences they can disagree, and then no direction is claimed (with a
 * warning). When the test is significant but the bootstrap interval of the mean still covers
 * 0, the verdict stands (the test decides) and a warning says so.
 */
function applyHolmAndVerdicts(analyses: readonly MetricAnalysis[], alpha: number): number {
  const deltas = analyses.flatMap((a) => a.comparison.deltas.map((delta, i) => ({ analysis: a, delta, shift: a.testShift[i] ?? null })));
  const adjusted = holmAdjust(deltas.map(({ delta }) => delta.pValue));
  deltas.forEach(({ analysis, delta, shift }, i) => {
    const metric = analysis.comparison;
    delta.pAdjusted = adjusted[i] ?? null;
    delta.verdict = verdictOf(metric, delta.delta, delta.pAdjusted, alpha);
    if (delta.verdict !== 'better' && delta.verdict !== 'worse') return;
    const who = metric.deltas.length > 1 ? `${delta.run} vs ${delta.vs}: ` : '';
    if (shift !== null && shift !== Math.sign(delta.delta!)) {
      delta.verdict = 'no detectable difference';
      metric.warnings.push(
        `${who}the paired test finds the typical example moved ${shift > 0 ? 'up' : 'down'} while the mean moved ${delta.delta! > 0 ? 'up' : 'down'} (skewed differences): no direction is claimed`,
      );
    } else if (delta.ci && delta.ci[0] <= 0 && delta.ci[1] >= 0) {
      metric.warnings.push(
        `${who}the paired test is significant but the bootstrap interval of the mean difference includes 0 (a few large differences dominate the mean)`,
      );
    }
  });
  return adjusted.filter((p) => p !== null).length;
}

/** Fills the non-inferiority gate of every delta of a metric with a margin in experiment.yaml. */
function applyNonInferiority(analyses: readonly MetricAnalysis[], specs: readonly MetricSpec[], alpha: number, power: number): void {
  analyses.forEach((analysis, m) => {
    const margin = specs[m]!.margin;
    const direction = analysis.comparison.direction;
    if (margin === undefined || direction === null) return;
    analysis.comparison.deltas.forEach((delta, i) => {
      if (delta.verdict === 'not compared') return;
      delta.nonInferiority = nonInferiorityDecision({ direction, margin, delta, sd: analysis.spread[i] ?? null, alpha, power });
    });
  });
}

function verdictOf(metric: MetricComparison, delta: number | null, pAdjusted: number | null, alpha: number): Verdict {
  if (pAdjusted === null) return 'not compared';
  if ((metric.clusters ?? metric.n) < MIN_PAIRS_FOR_VERDICT) return 'too few to compare';
  if (!(pAdjusted < alpha)) return 'no detectable difference';
  if (metric.kind === 'label') return 'different';
  if (delta === null || delta === 0) return 'no detectable difference';
  const up = delta > 0;
  return up === (metric.direction !== 'lower') ? 'better' : 'worse';
}

function inputWarnings(input: CompareInput, prepared: PreparedComparison): string[] {
  const warnings: string[] = [];
  const { runs, experiment } = input;
  const { alignment, specs } = prepared;
  const foreign = runs.filter((r) => r.manifest.experiment !== experiment.name);
  if (foreign.length > 0) {
    warnings.push(
      `runs of different experiments: ${foreign.map((r) => `${r.manifest.id} is in ${r.manifest.experiment}`).join(', ')}; directions and thresholds come from ${experiment.name}`,
    );
  }
  const report = alignment.report;
  if (report.key === 'inputHash') warnings.push('no example id is shared by every run: traces were matched on their input');
  const nothingShared = noSharedExampleText(report);
  // First, before the warnings that only matter when something was compared.
  if (nothingShared !== null) warnings.unshift(nothingShared);
  else if (report.matched < report.examples) {
    warnings.push(
      `${report.examples - report.matched} of ${report.examples} examples are not in every run and are left out of the paired statistics (see alignment)`,
    );
  }
  for (const run of report.runs) {
    if (run.duplicates.length > 0) {
      warnings.push(
        `run ${run.run} has ${run.duplicates.length} example${run.duplicates.length > 1 ? 's' : ''} with more than one trace; the first trace of each is compared`,
      );
    }
  }
  for (const metric of experiment.metrics) {
    if (!specs.some((s) => s.key === metric.name)) warnings.push(`experiment.yaml tracks "${metric.name}" but no run has it`);
  }
  return warnings;
}
