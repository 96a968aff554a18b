import type { CompareRecord } from './compare-record.ts';
import type { AnnotationIndex } from './annotation-index.ts';
import type { MetricSpec } from './metric-specs.ts';
import { passAtK, passHatK } from '../stats/pass-at-k.ts';

/** One metric's values on the matched examples, one column per run, in alignment order. */
export type MetricColumns =
  | { kind: 'numeric'; columns: Float64Array[]; nonFinite: number[]; trials?: Array<TrialStats | null> }
  | { kind: 'label'; columns: Array<Array<string | null>>; nonFinite: number[] };

/** How a run's trials of one example spread, next to how the examples differ. */
interface TrialStats {
  /** Mean number of trials per example with a value. */
  k: number;
  /** σ²_within / (σ²_within + σ²_between): the share of the variance that repeating trials averages away. */
  withinShare: number | null;
  /** The standard error of the run's mean with 2K trials per example over the one with K. */
  seRatioAtDoubleK: number | null;
  /**
   * Pass/fail metrics: pass@k and pass^k (unbiased, Chen et al. 2021 / Yao et al. 2024) at
   * k = `passK`, the fewest trials any example had, averaged over the examples.
   */
  passK?: number;
  passAtK?: number;
  passHatK?: number;
}

/** pass@k and pass^k over examples of 0/1 trial values, at the fewest trials per example. */
function passRates(perExample: readonly Float64Array[]): Pick<TrialStats, 'passK' | 'passAtK' | 'passHatK'> {
  const used = perExample.filter((v) => v.length > 0);
  if (used.length === 0) return {};
  const k = Math.min(...used.map((v) => v.length));
  let at = 0;
  let hat = 0;
  for (const v of used) {
    const c = v.reduce((a, b) => a + b, 0);
    at += passAtK(v.length, c, k);
    hat += passHatK(v.length, c, k);
  }
  return { passK: k, passAtK: at / used.length, passHatK: hat / used.length };
}

/**
 * Variance components of per-example means of K trials (one-way random effects, method of
 * moments): σ²_w is the pooled within-example variance, σ²_b = max(0, Var(example means) −
 * σ²_w / K). The SE of the run's mean is √((σ²_b + σ²_w/K)/n), so doubling K scales it by
 * √((σ²_b + σ²_w/2K) / (σ²_b + σ²_w/K)).
 */
function trialVariance(perExample: readonly Float64Array[]): TrialStats | null {
  const used = perExample.filter((v) => v.length > 0);
  if (used.length === 0) return null;
  const k = used.reduce((s, v) => s + v.length, 0) / used.length;
  let within = 0;
  let df = 0;
  const means = used.map((v) => v.reduce((a, b) => a + b, 0) / v.length);
  used.forEach((v, e) => {
    for (const x of v) within += (x - means[e]!) ** 2;
    df += v.length - 1;
  });
  if (df === 0 || used.length < 2) return { k, withinShare: null, seRatioAtDoubleK: null };
  const sigmaW = within / df;
  const grand = means.reduce((a, b) => a + b, 0) / means.length;
  const varMeans = means.reduce((s, m) => s + (m - grand) ** 2, 0) / (means.length - 1);
  const sigmaB = Math.max(0, varMeans - sigmaW / k);
  const total = sigmaW + sigmaB;
  if (total === 0) return { k, withinShare: 0, seRatioAtDoubleK: 1 };
  return { k, withinShare: sigmaW / total, seRatioAtDoubleK: Math.sqrt((sigmaB + sigmaW / (2 * k)) / (sigmaB + sigmaW / k)) };
}

/**
 * Reads one metric for every matched example of every run. A missing value is NaN (numeric)
 * or null (label): no trace value, an evaluator error or null, a value of another kind, or a
 * NaN/±Infinity number (those are also counted in `nonFinite`, per run). A trace that carries
 * the same score name twice contributes its first value. Tokens and cost are missing for a
 * trace none of whose spans carries usage / cost. For a run with several trials per example
 * (`trials`, from the alignment) a numeric value is the mean over the example's trials that
 * have one (a pass rate for booleans), and the run's variance components come with it.
 */
export function readMetricColumns(
  spec: MetricSpec,
  runs: ReadonlyArray<{ id: string; records: readonly CompareRecord[] }>,
  index: readonly Int32Array[],
  annotations: AnnotationIndex,
  trials?: ReadonlyArray<Int32Array[] | null>,
): MetricColumns {
  const nonFinite = runs.map(() => 0);
  if (spec.kind === 'label') {
    const columns = runs.map((run, r) =>
      Array.from(index[r]!, (i) => {
        const v = rawValue(spec, run.id, run.records[i]!, annotations);
        return typeof v === 'string' ? v : null;
      }),
    );
    return { kind: 'label', columns, nonFinite };
  }
  const trialStats: Array<TrialStats | null> = runs.map(() => null);
  const columns = runs.map((run, r) => {
    const idx = index[r]!;
    const column = new Float64Array(idx.length);
    const valueOf = (traceIndex: number): number => {
      const v = rawValue(spec, run.id, run.records[traceIndex]!, annotations);
      if (typeof v === 'number') {
        // Numbers in a boolean metric are accepted only as 0/1 (see findMetricSpecs).
        if (!Number.isFinite(v)) nonFinite[r]!++;
        else if (spec.kind !== 'boolean' || v === 0 || v === 1) return v;
      } else if (typeof v === 'boolean') {
        return v ? 1 : 0;
      }
      return Number.NaN;
    };
    const runTrials = trials?.[r];
    if (!runTrials) {
      for (let p = 0; p < idx.length; p++) column[p] = valueOf(idx[p]!);
      return column;
    }
    const perExample: Float64Array[] = [];
    for (let p = 0; p < idx.length; p++) {
      const members = runTrials[p]!.length > 0 ? runTrials[p]! : Int32Array.of(idx[p]!);
      const values = Float64Array.from(members, valueOf).filter((x) => !Number.isNaN(x));
      perExample.push(values);
      column[p] = values.length === 0 ? Number.NaN : values.reduce((a, b) => a + b, 0) / values.length;
    }
    const stats = trialVariance(perExample);
    trialStats[r] = stats && spec.kind === 'boolean' ? { ...stats, ...passRates(perExample) } : stats;
    return column;
  });
  return { kind: 'numeric', columns, nonFinite, trials: trialStats };
}

/** The value of a metric on one trace, before kind checks; undefined when there is none. */
export function rawValue(spec: MetricSpec, runId: string, record: CompareRecord, annotations: AnnotationIndex): unknown {
  switch (spec.source) {
    case 'score': {
      for (const score of record.scores) {
        if (score.name === spec.key) return score.value;
      }
      return undefined;
    }
    case 'annotation':
      return annotations.get(runId, record.id)?.get(spec.key);
    case 'latency':
      return record.durationMs;
    case 'tokens':
      return record.tokens ?? undefined;
    case 'cost':
      return record.cost ?? undefined;
  }
}
