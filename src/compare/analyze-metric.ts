import { chiSquareContingency } from '../stats/chi-square-contingency.ts';
import { fisherExact2x2 } from '../stats/fisher-exact.ts';
import { mcnemarTest } from '../stats/mcnemar.ts';
import { type ClusteredMean, clusteredInterval, clusteredMean } from '../stats/clustered-mean.ts';
import { tMeanInterval } from '../stats/mean-interval.ts';
import { truncateInterval } from '../stats/truncate-interval.ts';
import { studentTSf } from '../stats/student-t.ts';
import { moments } from '../stats/moments.ts';
import { minimumDetectableEffect, pairsNeeded } from '../stats/power.ts';
import { wilcoxonSignedRank } from '../stats/wilcoxon.ts';
import { wilsonInterval } from '../stats/wilson.ts';
import { boundedMeanInterval } from '../stats/bounded-mean-interval.ts';
import type { MetricComparison, MetricDelta, MetricRunSummary, TestName } from './comparison.ts';
import { type MetricSpec, valueRange } from './metric-specs.ts';
import type { MetricColumns } from './metric-values.ts';

export interface AnalysisSettings {
  confidence: number;
  alpha: number;
  power: number;
  /**
   * The cluster of each matched example (alignment order), when experiment.yaml names a cluster
   * key: every mean, difference, interval and test is then clustered (docs/compare.md).
   */
  clusters?: Int32Array | null;
}

/** A metric's comparison before the bootstrap intervals and the Holm correction are filled in. */
export interface MetricAnalysis {
  comparison: MetricComparison;
  /**
   * The per-example differences (run − baseline) of each numeric delta, over the paired rows,
   * for the bootstrap; `deltaIndex` points into comparison.deltas.
   */
  differences: Array<{ deltaIndex: number; rows: Int32Array; values: Float64Array; clustered?: boolean }>;
  /**
   * Which way the paired test saw the runs move, per delta (−1, 0, +1; null without a test):
   * for Wilcoxon the side of R+ against its null mean, which can disagree with the mean
   * difference when the differences are skewed.
   */
  testShift: Array<number | null>;
  /** Per delta: sd of the per-example differences (× √deff with clusters), for the gates. */
  spread: Array<number | null>;
}

/**
 * Compares one metric across runs on the matched examples. The sample is the examples where
 * every run that has the metric has a usable value (complete cases), so the means and the
 * deltas describe the same examples. Runs without the metric are reported, not compared.
 */
export function analyzeMetric(
  spec: MetricSpec,
  data: MetricColumns,
  runIds: readonly string[],
  settings: AnalysisSettings,
): MetricAnalysis {
  const warnings = [...spec.warnings];
  const present = spec.presentIn;
  const absent = runIds.filter((_, r) => !present[r]);
  if (absent.length > 0) warnings.push(`no values in run${absent.length > 1 ? 's' : ''} ${absent.join(', ')}: not compared there`);

  const matched = data.columns[0]?.length ?? 0;
  const rows = completeRows(data, present, matched);
  const n = rows.length;
  const missingByRun = runIds.map((_, r) => (present[r] ? countMissing(data, r) : matched));
  const incomplete = runIds.map((id, r) => ({ id, missing: missingByRun[r]! })).filter((e, r) => present[r] && e.missing > 0);
  if (incomplete.length > 0 && matched > 0) {
    warnings.push(
      `compared on the ${n} of ${matched} matched examples where every run has a value (missing: ${incomplete.map((e) => `${e.missing} in ${e.id}`).join(', ')})`,
    );
  }
  data.nonFinite.forEach((count, r) => {
    if (count > 0) warnings.push(`${count} NaN or infinite value${count > 1 ? 's' : ''} in run ${runIds[r]} left out`);
  });
  if (matched > 0 && n === 0 && absent.length === 0) warnings.push('no matched example has a value in every run: not compared');

  const comparison: MetricComparison = {
    name: spec.name,
    source: spec.source,
    kind: spec.kind,
    direction: spec.direction,
    primary: spec.primary,
    minEffect: spec.minEffect,
    n,
    runs: [],
    deltas: [],
    warnings,
  };
  const differences: MetricAnalysis['differences'] = [];
  const testShift: MetricAnalysis['testShift'] = [];
  const spread: MetricAnalysis['spread'] = [];
  const baselinePresent = present[0] === true;

  if (data.kind === 'label') {
    const counts = runIds.map((_, r) => (present[r] ? labelCounts(data.columns[r]!, rows) : null));
    comparison.runs = runIds.map((run, r) => {
      const summary: MetricRunSummary = { run, mean: null, ci: null, ciMethod: null, missing: missingByRun[r]! };
      if (counts[r]) summary.counts = Object.fromEntries(counts[r]!);
      return summary;
    });
    for (let r = 1; r < runIds.length; r++) {
      const delta = emptyDelta(runIds[r]!, runIds[0]!);
      if (baselinePresent && present[r] && n > 0) Object.assign(delta, labelTest(counts[0]!, counts[r]!, n));
      comparison.deltas.push(delta);
      testShift.push(null);
      spread.push(null);
    }
    return { comparison, differences, testShift, spread };
  }

  const columns = data.columns;
  let clusterOf = settings.clusters ? Int32Array.from(rows, (i) => settings.clusters![i]!) : null;
  if (clusterOf) {
    comparison.clusters = new Set(clusterOf).size;
    // One example per cluster is the independent case: keep today's methods, exactly.
    if (comparison.clusters === n) clusterOf = null;
  }
  // An annotation metric is sparse: people annotate some traces of some runs. Its per-run mean
  // uses every value of that run, so it does not change with which other runs are compared;
  // the deltas still use the paired examples.
  const ownRows = (r: number): Int32Array => {
    const keep: number[] = [];
    for (let i = 0; i < matched; i++) if (Number.isFinite(columns[r]![i])) keep.push(i);
    return Int32Array.from(keep);
  };
  const perRunValues = spec.source === 'annotation' && !clusterOf;
  // The part of an interval outside the values the metric can take (a latency below 0, a
  // clustered t-interval past a declared maximum) holds no possible mean: cut it off.
  const range = valueRange(spec);
  comparison.runs = runIds.map((run, r) => {
    if (!present[r]) return { run, mean: null, ci: null, ciMethod: null, missing: missingByRun[r]!, n: 0 };
    const values = Float64Array.from(perRunValues ? ownRows(r) : rows, (i) => columns[r]![i]!);
    const trialStats = data.trials?.[r];
    if (trialStats) {
      const summary = summarize(run, r, values);
      summary.trials = trialStats;
      return summary;
    }
    return summarize(run, r, values);
  });
  function summarize(run: string, r: number, values: Float64Array): MetricRunSummary {
    const summary = summarizeUnbounded(run, r, values);
    if (range && summary.ci) summary.ci = truncateInterval(summary.ci, range);
    return summary;
  }
  function summarizeUnbounded(run: string, r: number, values: Float64Array): MetricRunSummary {
    if (clusterOf)
      return {
        ...clusteredSummary(run, values, clusterOf, spec.kind === 'boolean', missingByRun[r]!, settings.confidence),
        n: values.length,
      };
    const n = values.length;
    const { mean, std } = moments(values);
    if (spec.bounds && mean !== null) {
      return {
        run,
        mean,
        ci: boundedMeanInterval(values, spec.bounds, settings.confidence),
        ciMethod: 'wilson-bounded',
        missing: missingByRun[r]!,
        n,
      };
    }
    let ci: [number, number] | null = null;
    if (spec.kind === 'boolean')
      ci = wilsonInterval(
        values.reduce((s, v) => s + v, 0),
        n,
        settings.confidence,
      );
    else if (mean !== null && std !== null) ci = tMeanInterval(mean, std, n, settings.confidence);
    return { run, mean, ci, ciMethod: spec.kind === 'boolean' ? 'wilson' : 't', missing: missingByRun[r]!, n };
  }

  for (let r = 1; r < runIds.length; r++) {
    const delta = emptyDelta(runIds[r]!, runIds[0]!);
    comparison.deltas.push(delta);
    testShift.push(null);
    spread.push(null);
    if (!(baselinePresent && present[r] && n > 0)) continue;
    const base = columns[0]!;
    const other = columns[r]!;
    const diffs = Float64Array.from(rows, (i) => other[i]! - base[i]!);
    const { mean, std: naiveStd } = moments(diffs);
    delta.delta = mean;
    const clustered = clusterOf ? clusteredMean(diffs, clusterOf) : null;
    // The power estimates below see the clustered spread: std · √(design effect).
    const std = clustered && naiveStd !== null ? naiveStd * Math.sqrt(clustered.designEffect) : naiveStd;
    spread[spread.length - 1] = std;
    if (clusterOf) {
      Object.assign(delta, clusteredDifferenceTest(clustered, settings.confidence));
      testShift[testShift.length - 1] = clustered ? Math.sign(clustered.mean) : null;
    } else if (spec.kind === 'boolean') {
      let b = 0;
      let c = 0;
      for (const d of diffs) {
        if (d < 0) b++;
        else if (d > 0) c++;
      }
      const result = mcnemarTest(b, c);
      delta.test = result.method === 'exact' ? 'mcnemar-exact' : 'mcnemar-chi2-cc';
      delta.statistic = result.statistic;
      delta.pValue = result.pValue;
      testShift[testShift.length - 1] = Math.sign(c - b);
    } else {
      const result = wilcoxonSignedRank(diffs);
      if (result) {
        delta.test = `wilcoxon-${result.method}` as TestName;
        delta.statistic = result.statistic;
        delta.pValue = result.pValue;
        testShift[testShift.length - 1] = Math.sign(result.rPlus - (result.nonZero * (result.nonZero + 1)) / 4);
      }
    }
    delta.minDetectable = std === null ? null : minimumDetectableEffect(std, n, settings.alpha, settings.power);
    if (spec.minEffect !== null && delta.minDetectable !== null && delta.minDetectable > spec.minEffect) {
      const needed = pairsNeeded(std ?? 0, spec.minEffect, settings.alpha, settings.power);
      warnings.push(
        `${runIds.length > 2 ? `${delta.run} vs ${delta.vs}: ` : ''}with ${n} pairs only a difference of about ${fmt(delta.minDetectable)} or more is likely to be detected (${Math.round(settings.power * 100)}% power, α = ${settings.alpha}); minEffect is ${fmt(spec.minEffect)}${needed !== null ? `, which needs about ${needed} pairs at the spread of these paired differences (\`labbook plan\` sizes from one run as if the runs were uncorrelated, so its figure is usually larger)` : ''}`,
      );
    } else if (spec.minEffect !== null && n < 2) {
      warnings.push(`${n} pair${n === 1 ? '' : 's'}: too few to estimate what difference could be detected`);
    }
    // Clustered deltas already have their interval; the bootstrap resamples only independent rows.
    differences.push({ deltaIndex: comparison.deltas.length - 1, rows, values: diffs, clustered: clusterOf !== null });
  }
  return { comparison, differences, testShift, spread };
}

/**
 * A run's mean with a clustered interval: Student t on G − 1 degrees of freedom with the
 * clustered SE for numbers; for pass rates, Wilson's interval on the effective sample size
 * n / design effect (Kish), which is Wilson's own interval when the design effect is 1.
 */
function clusteredSummary(
  run: string,
  values: Float64Array,
  clusterOf: Int32Array,
  boolean: boolean,
  missing: number,
  confidence: number,
): MetricRunSummary {
  const result = clusteredMean(values, clusterOf);
  const { mean } = moments(values);
  if (!result) return { run, mean, ci: null, ciMethod: null, missing, designEffect: null };
  const designEffect = result.designEffect;
  if (boolean) {
    const effectiveN = result.n / Math.max(designEffect, 1e-12);
    return {
      run,
      mean,
      ci: wilsonInterval(result.mean * effectiveN, effectiveN, confidence),
      ciMethod: 'wilson-clustered',
      missing,
      designEffect,
    };
  }
  return { run, mean, ci: clusteredInterval(result, confidence), ciMethod: 'clustered-t', missing, designEffect };
}

/** The clustered paired difference: t = mean / clustered SE on G − 1 degrees of freedom. */
function clusteredDifferenceTest(result: ClusteredMean | null, confidence: number): Partial<MetricDelta> {
  if (!result) return { designEffect: null };
  const fields: Partial<MetricDelta> = {
    test: 'clustered-t',
    designEffect: result.designEffect,
    ci: clusteredInterval(result, confidence),
  };
  if (result.se > 0) {
    const t = result.mean / result.se;
    fields.statistic = t;
    fields.pValue = Math.min(1, 2 * studentTSf(Math.abs(t), result.clusters - 1));
  } else {
    // Every difference is the same: no spread to test against.
    fields.statistic = null;
    fields.pValue = result.mean === 0 ? 1 : null;
  }
  return fields;
}

function emptyDelta(run: string, vs: string): MetricDelta {
  return {
    run,
    vs,
    delta: null,
    ci: null,
    test: null,
    statistic: null,
    pValue: null,
    pAdjusted: null,
    verdict: 'not compared',
    minDetectable: null,
  };
}

function completeRows(data: MetricColumns, present: readonly boolean[], matched: number): Int32Array {
  const keep: number[] = [];
  const usable = data.columns.filter((_, r) => present[r]);
  if (usable.length === 0) return new Int32Array(0);
  outer: for (let i = 0; i < matched; i++) {
    for (const column of usable) {
      const v = column[i];
      if (v === null || (typeof v === 'number' && Number.isNaN(v))) continue outer;
    }
    keep.push(i);
  }
  return Int32Array.from(keep);
}

function countMissing(data: MetricColumns, r: number): number {
  let missing = 0;
  for (const v of data.columns[r]!) if (v === null || (typeof v === 'number' && Number.isNaN(v))) missing++;
  return missing;
}

function labelCounts(column: ReadonlyArray<string | null>, rows: Int32Array): Map<string, number> {
  const counts = new Map<string, number>();
  for (const i of rows) {
    const v = column[i] as string;
    counts.set(v, (counts.get(v) ?? 0) + 1);
  }
  return new Map([...counts].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/**
 * Label distributions of two runs on the same examples, as a 2 × k table of counts: Fisher's
 * exact test for a 2 × 2 table with an expected count below 5, else Pearson's chi-square
 * (Yates-corrected when df = 1), as scipy.stats.chi2_contingency. This treats the two samples
 * as independent, which ignores the pairing: it is conservative when the labels of one example
 * are correlated across runs (the usual case).
 */
function labelTest(base: Map<string, number>, other: Map<string, number>, n: number): Partial<MetricDelta> {
  const labels = [...new Set([...base.keys(), ...other.keys()])].sort();
  const table = [labels.map((l) => base.get(l) ?? 0), labels.map((l) => other.get(l) ?? 0)];
  let distance = 0;
  for (let j = 0; j < labels.length; j++) distance += Math.abs(table[0]![j]! - table[1]![j]!) / n;
  distance /= 2;
  const chi = chiSquareContingency(table);
  if (labels.length === 2 && chi.minExpected < 5) {
    const [[a, b], [c, d]] = table as [[number, number], [number, number]];
    return { test: 'fisher-exact', statistic: null, pValue: fisherExact2x2(a, b, c, d), distance };
  }
  return { test: chi.yates ? 'chi2-yates' : 'chi2', statistic: chi.statistic, pValue: chi.pValue, distance };
}

function fmt(x: number): string {
  return Number(x.toPrecision(2)).toString();
}
