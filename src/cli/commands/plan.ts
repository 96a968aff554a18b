import { readClusterIds } from '../../compare/cluster-ids.ts';
import { compareRecordsFromTraces } from '../../compare/compare-record.ts';
import { planSampleSize } from '../../compare/plan-sample-size.ts';
import { LabbookError, UsageError } from '../../errors/index.ts';
import { scoreAsNumber } from '../../../schemas/score.ts';
import type { Trace } from '../../../schemas/trace.ts';
import { existsSync } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { parsePlan } from '../../plan/parse-plan.ts';
import { proposePlan } from '../../plan/propose-plan.ts';
import { writeFileAtomic } from '../../store/atomic-write.ts';
import { openDataFolder } from '../../store/handles.ts';
import { planFile } from '../../store/layout.ts';
import { listRuns } from '../../store/store.ts';
import { listExperiments, readExperiment } from '../../store/experiments.ts';
import { toYaml } from '../../store/yaml.ts';
import type { Command } from '../command.ts';

export const planCommand: Command = {
  name: 'plan',
  summary: 'the sample size a comparison needs to detect a given difference, from a run’s spread',
  usage: `usage: labbook plan --metric <name> --mde <difference> [--run <id> | --experiment <e>] [--margin <δ>]
                    [--alpha 0.05] [--power 0.8] [--write] [--data <dir>]

Prints how many paired examples a comparison needs to detect a difference of --mde in the
score <name> (two-sided test at --alpha, with --power), from the spread of the score over the
examples of --run: (t(1−α/2, n−1) + t(power, n−1)) · sd·√2·√deff / √n ≤ mde. The design effect
comes from the cluster key (the plan's, else experiment.yaml's); trials of an example are
averaged first. Without --run: the newest completed run of --experiment (or of the only one).

Then it shows the eval plan this gives (the metric's mde and --margin, the sample size, α,
power, cluster key, trials), merged into <experiment>/plan.yaml when one exists; --write writes
it there (comments in an existing file are not kept). Commit it before the runs it governs.`,
  options: {
    run: { type: 'string' },
    experiment: { type: 'string' },
    metric: { type: 'string' },
    mde: { type: 'string' },
    margin: { type: 'string' },
    alpha: { type: 'string' },
    power: { type: 'string' },
    write: { type: 'boolean' },
  },
  async run(args, ctx) {
    const metric = args.values.metric as string | undefined;
    // A run names its experiment: an --experiment beside it would be silently ignored.
    if (args.values.run !== undefined && args.values.experiment !== undefined)
      throw new UsageError('give --run <id> or --experiment <name>, not both: a run already names its experiment');
    if (!metric) throw new UsageError('--metric is required');
    const runId =
      (args.values.run as string | undefined) ?? (await newestCompletedRun(ctx.dataDir, args.values.experiment as string | undefined));
    const mde = fraction(args.values.mde as string | undefined, '--mde', null, false);
    const alpha = fraction(args.values.alpha as string | undefined, '--alpha', 0.05, true);
    const power = fraction(args.values.power as string | undefined, '--power', 0.8, true);
    const margin = args.values.margin === undefined ? undefined : fraction(args.values.margin as string, '--margin', null, false);
    const run = await openDataFolder(ctx.dataDir).findRun(runId);
    const { manifest } = run;
    const experiment = await readExperiment(ctx.dataDir, manifest.experiment);
    const file = planFile(ctx.dataDir, manifest.experiment);
    const existing = existsSync(file) ? parsePlan(await readFile(file, 'utf8'), file) : null;
    // The key in force: the committed plan's, else experiment.yaml's.
    const clusterKey = existing?.cluster ?? experiment.cluster;
    const traces: Trace[] = [];
    for await (const trace of run.traces()) traces.push(trace);
    // Per-example mean of the score over the example's traces (its trials).
    const byExample = new Map<string, { sum: number; count: number; first: number }>();
    traces.forEach((trace, i) => {
      const score = trace.scores.find((s) => s.name === metric && s.error === undefined);
      const v = score ? scoreAsNumber(score.value) : null;
      if (v === null) return;
      const entry = byExample.get(trace.exampleId) ?? { sum: 0, count: 0, first: i };
      entry.sum += v;
      entry.count++;
      byExample.set(trace.exampleId, entry);
    });
    if (byExample.size === 0) throw new UsageError(`run ${manifest.id} has no numeric or boolean score "${metric}"`);
    const entries = [...byExample.values()];
    const values = Float64Array.from(entries, (e) => e.sum / e.count);
    const clusters = clusterKey
      ? readClusterIds(
          clusterKey,
          compareRecordsFromTraces(traces, clusterKey),
          Int32Array.from(entries, (e) => e.first),
        ).ids
      : undefined;
    const plan = planSampleSize(values, mde, { alpha, power, clusters });
    const lines = [
      `${metric} in ${manifest.id}: ${plan.n} examples, sd ${round(plan.sd)}${clusterKey ? `, design effect ${round(plan.designEffect)} (cluster key ${clusterKey})` : ''}`,
      `assumed sd of a paired difference: ${round(plan.sdDifference)} (sd · √2${clusterKey ? ' · √deff' : ''}; correlated pairs need fewer)`,
      plan.examplesNeeded === null
        ? `cannot plan: ${plan.n < 2 ? 'fewer than two examples' : 'the score does not vary'}`
        : `examples needed to detect a difference of ${mde} (α = ${alpha}, power ${power}): ${plan.examplesNeeded}${plan.examplesNeeded > 1_000_000 ? " (more than any evaluation runs: is the difference in the score's units?)" : ''}`,
    ];
    ctx.stdout(lines.join('\n'));
    // No spread, no sample size: a plan would only record that nothing could be planned.
    if (plan.examplesNeeded === null) return 1;

    const trials = traces.length / byExample.size;
    const proposed = proposePlan(existing, {
      metric,
      mde,
      alpha,
      power,
      examplesNeeded: plan.examplesNeeded,
      ...(margin !== undefined ? { margin } : {}),
      ...(clusterKey ? { cluster: clusterKey } : {}),
      ...(Number.isInteger(trials) && trials > 1 ? { trials } : {}),
    });
    const text = toYaml(proposed);
    if (args.values.write) {
      await mkdir(dirname(file), { recursive: true });
      await writeFileAtomic(file, text);
      ctx.stdout(`\nwrote ${file}${existing ? ' (updated; comments are not kept)' : ''}: commit it before the runs it governs`);
    } else {
      ctx.stdout(`\n${existing ? `${file}, updated` : `a plan for ${file}`} (--write writes it):\n${text.trimEnd()}`);
    }
    return 0;
  },
};

/** The newest completed run of the experiment named, or of the only experiment. */
async function newestCompletedRun(dataDir: string, experiment: string | undefined): Promise<string> {
  let name = experiment;
  if (name === undefined) {
    const all = await listExperiments(dataDir);
    if (all.length !== 1)
      throw new UsageError(`give --run <id> or --experiment <name>${all.length > 1 ? ` (experiments: ${all.join(', ')})` : ''}`);
    name = all[0]!;
  }
  if (experiment !== undefined) await readExperiment(dataDir, name); // "experiment not found", as every command says it
  // A run that recorded no trace (a command that crashed early) has no spread to take.
  const runs = (await listRuns(dataDir, name)).filter((r) => r.status === 'completed' && !r.shard && r.counts.traces > 0);
  // Ids sort by the second they were made in; within one second, createdAt (milliseconds) decides.
  const newest = runs.reduce<(typeof runs)[number] | undefined>(
    (best, run) => (!best || Date.parse(run.createdAt) >= Date.parse(best.createdAt) ? run : best),
    undefined,
  );
  if (!newest) throw new LabbookError(`experiment ${name} has no completed run with traces to take the spread from; give --run <id>`);
  return newest.id;
}

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
