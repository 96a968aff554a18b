import { readClusterIds } from '../../compare/cluster-ids.ts';
import { compareRecordsFromTraces } from '../../compare/compare-record.ts';
import { planSampleSize } from '../../compare/plan-sample-size.ts';
import { UsageError } from '../../errors/index.ts';
import type { Trace } from '../../../schemas/trace.ts';
import { openDataFolder } from '../../store/handles.ts';
import { readExperiment } from '../../store/store.ts';
import type { Command } from '../command.ts';

export const planCommand: Command = {
  name: 'plan',
  summary: 'the sample size a comparison needs to detect a given difference, from a run’s spread',
  usage: `usage: labbook plan --run <id> --metric <name> --mde <difference> [--alpha 0.05] [--power 0.8] [--data <dir>]

Prints how many paired examples a comparison needs to detect a difference of --mde in the
score <name> (two-sided test at --alpha, with --power), from the spread of the score over the
examples of --run: (t(1−α/2, n−1) + t(power, n−1)) · sd·√2·√deff / √n ≤ mde. The design effect
comes from the experiment's cluster key; trials of an example are averaged first.`,
  options: { run: { type: 'string' }, metric: { type: 'string' }, mde: { type: 'string' }, alpha: { type: 'string' }, power: { type: 'string' } },
  async run(args, ctx) {
    const runId = args.values.run as string | undefined;
    const metric = args.values.metric as string | undefined;
    if (!runId) throw new UsageError('--run is required (the run whose spread the plan uses)');
    if (!metric) throw new UsageError('--metric is required');
    const mde = fraction(args.values.mde as string | undefined, '--mde', null, false);
    const alpha = fraction(args.values.alpha as string | undefined, '--alpha', 0.05, true);
    const power = fraction(args.values.power as string | undefined, '--power', 0.8, true);
    const run = await openDataFolder(ctx.dataDir).findRun(runId);
    const { manifest } = run;
    const experiment = await readExperiment(ctx.dataDir, manifest.experiment);
    const traces: Trace[] = [];
    for await (const trace of run.traces()) traces.push(trace);
    // Per-example mean of the score over the example's traces (its trials).
    const byExample = new Map<string, { sum: number; count: number; first: number }>();
    traces.forEach((trace, i) => {
      const score = trace.scores.find((s) => s.name === metric && s.error === undefined);
      const v = typeof score?.value === 'boolean' ? (score.value ? 1 : 0) : typeof score?.value === 'number' && Number.isFinite(score.value) ? score.value : null;
      if (v === null) return;
      const entry = byExample.get(trace.exampleId) ?? { sum: 0, count: 0, first: i };
      entry.sum += v;
      entry.count++;
      byExample.set(trace.exampleId, entry);
    });
    if (byExample.size === 0) throw new UsageError(`run ${manifest.id} has no numeric or boolean score "${metric}"`);
    const entries = [...byExample.values()];
    const values = Float64Array.from(entries, (e) => e.sum / e.count);
    const clusters = experiment.cluster ? readClusterIds(experiment.cluster, compareRecordsFromTraces(traces, experiment.cluster), Int32Array.from(entries, (e) => e.first)).ids : undefined;
    const plan = planSampleSize(values, mde, { alpha, power, clusters });
    const lines = [
      `${metric} in ${manifest.id}: ${plan.n} examples, sd ${round(plan.sd)}${experiment.cluster ? `, design effect ${round(plan.designEffect)} (cluster key ${experiment.cluster})` : ''}`,
      `assumed sd of a paired difference: ${round(plan.sdDifference)} (sd · √2${experiment.cluster ? ' · √deff' : ''}; correlated pairs need fewer)`,
      plan.examplesNeeded === null
        ? `cannot plan: ${plan.n < 2 ? 'fewer than two examples' : 'the score does not vary'}`
        : `examples needed to detect a difference of ${mde} (α = ${alpha}, power ${power}): ${plan.examplesNeeded}`,
    ];
    ctx.stdout(lines.join('\n'));
    return 0;
  },
};

function fraction(raw: string | undefined, flag: string, fallback: number | null, belowOne: boolean): number {
  if (raw === undefined) {
    if (fallback === null) throw new UsageError(`${flag} is required`);
    return fallback;
  }
  const value = Number(raw);
  if (!(Number.isFinite(value) && value > 0 && (!belowOne || value < 1))) {
    throw new UsageError(`${flag} must be a number ${belowOne ? 'between 0 and 1' : 'above 0'}, got "${raw}"`);
  }
  return value;
}

function round(x: number): string {
  return String(Number(x.toPrecision(3)));
}
