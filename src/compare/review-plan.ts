import type { Comparison, MetricComparison, MetricDelta } from './comparison.ts';
import { pairsNeeded } from '../stats/power.ts';
import { studentTQuantile } from '../stats/student-t.ts';
import type { PlanContext } from '../plan/plan-context.ts';
import type { PlanFlag, PlanReview, PlanSample } from './plan-review.ts';

export type { PlanFlag, PlanFlagKind, PlanReview, PlanSample } from './plan-review.ts';

/**
 * Reviews a finished comparison against the plan in force: did the baseline run under the
 * same plan, does every planned metric have the examples the plan needs, did every run make
 * the planned trials. Pure; flags are facts for the reader and the gate's report, they do not
 * change any verdict or gate decision.
 */
export function reviewPlan(context: PlanContext, comparison: Omit<Comparison, 'plan'>): PlanReview {
  const { plan } = context;
  const flags: PlanFlag[] = [];
  const baselineDigest = context.digests[0] ?? null;
  const baseline: PlanReview['baseline'] = baselineDigest === null ? 'none' : baselineDigest === context.digest ? 'same' : 'changed';
  const short = (digest: string) => digest.replace(/^sha256:/, '').slice(0, 12);
  if (baseline === 'changed') {
    flags.push({
      kind: 'plan-changed',
      message: `the plan changed after the baseline: ${comparison.baseline} ran under plan ${short(baselineDigest!)}, ${context.run} under ${short(context.digest)} (${context.path})`,
    });
  } else if (baseline === 'none' && context.run !== comparison.baseline) {
    flags.push({
      kind: 'plan-changed',
      message: `the baseline ${comparison.baseline} recorded no plan: the plan (${context.path}, ${short(context.digest)}) was fixed after it ran`,
    });
  }
  context.digests.forEach((digest, i) => {
    const id = comparison.runs[i]?.id;
    if (i === 0 || id === undefined || id === context.run || digest === context.digest) return;
    flags.push({
      kind: 'plans-differ',
      run: id,
      message: `${id} ran under ${digest === null ? 'no plan' : `plan ${short(digest)}`}, not the plan in force (${short(context.digest)}, from ${context.run})`,
    });
  });
  if (!context.committed)
    flags.push({
      kind: 'plan-uncommitted',
      message: `${context.path} was not committed when ${context.run} ran: nothing shows it was fixed before the results`,
    });

  const samples: PlanSample[] = [];
  const metrics: PlanReview['metrics'] = [];
  for (const planned of plan.metrics) {
    const fromPlan = planned.margin !== undefined;
    const experimentMargin = context.experiment.margins[planned.name];
    metrics.push({
      name: planned.name,
      margin: planned.margin ?? experimentMargin ?? null,
      marginFrom: fromPlan ? 'plan' : experimentMargin !== undefined ? 'experiment.yaml' : null,
      mde: planned.mde ?? null,
    });
    const metric =
      comparison.metrics.find((m) => m.name === planned.name && m.source !== 'annotation') ??
      comparison.metrics.find((m) => m.name === planned.name);
    const compared = metric?.deltas.filter((d) => d.verdict !== 'not compared') ?? [];
    if (!metric || compared.length === 0) {
      flags.push({
        kind: 'metric-not-compared',
        metric: planned.name,
        message: `the plan names "${planned.name}" but ${metric ? 'it could not be compared (no paired values)' : 'no run has it'}`,
      });
      continue;
    }
    for (const delta of compared) {
      const sample = sampleOf(metric, delta, planned, plan);
      samples.push(sample);
      if (sample.enough === false) {
        const why =
          sample.basis === 'sampleSize'
            ? `the plan asks for a sample size of ${sample.needed}`
            : sample.basis === 'mde'
              ? `detecting the mde of the plan (${planned.mde}) needs about ${sample.needed} from the observed spread`
              : `deciding the margin of ${delta.nonInferiority?.margin} needs about ${sample.needed} from the observed spread`;
        flags.push({
          kind: 'sample-below-plan',
          metric: metric.name,
          run: delta.run,
          message: `${metric.name}: ${sample.n} paired examples, below what the plan needs: ${why}`,
        });
      }
    }
  }

  if (plan.trials !== undefined && plan.trials > 1) {
    comparison.runs.forEach((run, i) => {
      const k = trialsOf(comparison, run.id, i);
      if (k < plan.trials! - 1e-9) {
        flags.push({
          kind: 'trials-below-plan',
          run: run.id,
          message: `${run.id} made ${round(k)} trial${k === 1 ? '' : 's'} per example; the plan asks for ${plan.trials}`,
        });
      }
    });
  }

  return {
    digest: context.digest,
    path: context.path,
    committed: context.committed,
    run: context.run,
    alpha: plan.alpha,
    power: plan.power,
    sampleSize: plan.sampleSize ?? null,
    cluster: plan.cluster ?? null,
    trials: plan.trials ?? null,
    metrics,
    baseline,
    samples,
    flags,
  };
}

function sampleOf(metric: MetricComparison, delta: MetricDelta, planned: { mde?: number }, plan: PlanContext['plan']): PlanSample {
  const candidates: Array<{ needed: number; basis: PlanSample['basis'] }> = [];
  if (plan.sampleSize !== undefined) candidates.push({ needed: plan.sampleSize, basis: 'sampleSize' });
  if (planned.mde !== undefined) {
    const sd = sdOfDifferences(delta.minDetectable, metric.n, plan.alpha, plan.power);
    const needed = sd === null ? null : pairsNeeded(sd, planned.mde, plan.alpha, plan.power);
    if (needed !== null) candidates.push({ needed, basis: 'mde' });
  }
  const gate = delta.nonInferiority;
  if (gate?.decision === 'indeterminate' && gate.examplesNeeded !== null) candidates.push({ needed: gate.examplesNeeded, basis: 'margin' });
  const worst = candidates.reduce<(typeof candidates)[number] | null>((a, b) => (a === null || b.needed > a.needed ? b : a), null);
  return {
    metric: metric.name,
    run: delta.run,
    n: metric.n,
    needed: worst?.needed ?? null,
    basis: worst?.basis ?? null,
    enough: worst === null ? (planned.mde !== undefined ? null : true) : metric.n >= worst.needed,
  };
}

/**
 * The sd of the paired differences (× √deff with clusters) the engine's minimum detectable
 * effect was computed from: MDE = (t_{1−α/2,n−1} + t_{power,n−1}) · sd / √n, solved for sd.
 */
function sdOfDifferences(minDetectable: number | null, n: number, alpha: number, power: number): number | null {
  if (minDetectable === null || n < 2) return null;
  const factor = studentTQuantile(1 - alpha / 2, n - 1) + studentTQuantile(power, n - 1);
  return (minDetectable * Math.sqrt(n)) / factor;
}

/** Mean trials per example of a run: from any metric's trial summary, else the alignment's count, else 1. */
function trialsOf(comparison: Omit<Comparison, 'plan'>, runId: string, index: number): number {
  for (const metric of comparison.metrics) {
    const k = metric.runs.find((r) => r.run === runId)?.trials?.k;
    if (k !== undefined) return k;
  }
  return comparison.alignment.runs[index]?.trials ?? 1;
}

function round(x: number): string {
  return String(Number(x.toPrecision(3)));
}
