import { readdirSync } from 'node:fs';
import { constants as osConstants } from 'node:os';
import { relative } from 'node:path';
import type { RunProcess, RunStatus } from '../../../schemas/run-manifest.ts';
import { UsageError } from '../../errors/index.ts';
import { runLocal } from '../../runner/local-run.ts';
import { describeFinishProblems } from '../../store/finish-problems.ts';
import { runNameOption } from '../run-name-option.ts';
import type { Command, CommandContext } from '../command.ts';
import { listExperiments } from '../../store/experiments.ts';
import { formatMetricsTable } from '../metrics-table.ts';
import { Progress } from '../progress.ts';
import { noTracesHint } from '../../runner/no-traces-hint.ts';
import { parseShardFlag } from '../shard-flag.ts';
import { countNoun } from '../../text/count-noun.ts';
import { wholeLines } from '../../text/whole-lines.ts';

export const runCommand: Command = {
  name: 'run',
  summary: 'evaluate: prepare a local run, run the evaluation command, seal the run',
  usage: `usage: labbook run [--experiment <name>] --config <file> [--name <run name>] [--dataset <file>] [--shard i/n] [--trials K] [--create] [--no-otlp] [--evaluator <spec>]... [--data <dir>] -- <command...>

Prepares a run under <data>/<experiment>/runs/<id>/, runs <command> with LABBOOK_RUN_DIR,
LABBOOK_RUN_ID, LABBOOK_EXPERIMENT, LABBOOK_DATA, LABBOOK_CONFIG, LABBOOK_DATASET and
LABBOOK_SHARD (and LABBOOK_TRIALS with --trials: the SDK's run.map then evaluates each
example K times, one trace per trial) set, keeps the tail of its output, then computes metrics.json and SHA256SUMS.
The run is "completed" when the command exits 0, "failed" (with every finished trace kept)
when it exits non-zero, "partial" when it is interrupted. Prints the run id and its metrics,
and exits 0 for a completed run, else as the command did (its own code; 130 for Ctrl-C).
The experiment must exist (<data>/<experiment>/experiment.yaml, as "labbook init" writes it);
--create makes a new one. Without --experiment, the data folder's only experiment is used.
Nothing is recorded when the command is not found or a .jsonl dataset has a line that is not
JSON (the error names the file and line).
With an eval plan (<data>/<experiment>/plan.yaml), the run records the plan as committed at
HEAD (its text as plan.yaml, its digest in run.json) and, without --trials, makes the plan's
trials per example; compare then holds the run to the plan (docs/compare.md, "Eval plan").

While the command runs, an OTLP receiver on 127.0.0.1 takes OpenTelemetry spans (HTTP or gRPC, protobuf
or JSON) and writes each finished trace into the run: the command gets
OTEL_EXPORTER_OTLP_ENDPOINT, OTEL_EXPORTER_OTLP_TRACES_ENDPOINT, OTEL_EXPORTER_OTLP_PROTOCOL
and OTEL_SERVICE_NAME, so an agent instrumented with OpenTelemetry in any language records with
no code change (docs/otlp.md). --no-otlp runs no receiver. --evaluator [name=]builtin[:json]
(repeatable; e.g. correct=exactMatch, fast=latencyBudget:{"ms":2000}) scores each received
trace with a built-in evaluator, after those in experiment.yaml's "evaluators:".

example, with the files "labbook init --experiment support-bot" writes:
  labbook run --experiment support-bot --config agent.yaml --dataset data.jsonl -- node eval.mjs`,
  options: {
    experiment: { type: 'string', short: 'e' },
    config: { type: 'string', short: 'c' },
    name: { type: 'string' },
    dataset: { type: 'string' },
    shard: { type: 'string' },
    trials: { type: 'string' },
    quiet: { type: 'boolean', short: 'q' },
    create: { type: 'boolean' },
    'no-otlp': { type: 'boolean' },
    evaluator: { type: 'string', multiple: true },
  },
  async run(args, ctx) {
    const config = args.values.config as string | undefined;
    const experiment = await chooseExperiment(args.values.experiment as string | undefined, Boolean(args.values.create), ctx);
    if (!config) throw new UsageError(`--config is required: the agent's config file the run records${configHint(ctx.cwd)}`);
    if (args.rest.length === 0) throw new UsageError('give the evaluation command after "--"');
    const trialsFlag = args.values.trials as string | undefined;
    const trials = trialsFlag === undefined ? undefined : Number(trialsFlag);
    if (trials !== undefined && !(/^\d+$/.test(trialsFlag!) && trials >= 1 && trials <= 10_000)) {
      throw new UsageError(`--trials must be a whole number from 1 to 10000, got "${trialsFlag}"`);
    }
    const evaluatorFlags = (args.values.evaluator as string[] | undefined) ?? [];
    // The built-in evaluators load only when named, not before every run's command.
    const evaluators =
      evaluatorFlags.length === 0
        ? []
        : await import('../../sdk/evaluators/from-config.ts').then(({ evaluatorConfigFromFlag }) =>
            evaluatorFlags.map(evaluatorConfigFromFlag),
          );
    const name = runNameOption(args);
    const quiet = Boolean(args.values.quiet);
    const progress = new Progress({ label: 'traces', isTTY: ctx.isTTY, write: (text) => ctx.stderr(text.replace(/\n$/, '')) });
    const passThrough = (write: (t: string) => void) =>
      wholeLines((lines) => {
        progress.clear();
        write(lines);
      });
    const commandStdout = passThrough(ctx.stdout);
    const commandStderr = passThrough(ctx.stderr);
    const result = await runLocal({
      dataDir: ctx.dataDir,
      rootDir: ctx.rootDir,
      cwd: ctx.cwd,
      env: ctx.env,
      experiment,
      createExperiment: Boolean(args.values.create),
      configPath: config,
      name,
      datasetPath: args.values.dataset as string | undefined,
      shard: parseShardFlag(args.values.shard as string | undefined),
      trials,
      command: args.rest,
      otlp: !args.values['no-otlp'],
      evaluators,
      onLog: (line) => {
        progress.clear();
        ctx.stderr(line);
      },
      onStdout: (chunk) => {
        if (!quiet) commandStdout.push(chunk);
      },
      onStderr: (chunk) => {
        if (!quiet) commandStderr.push(chunk);
      },
      onNotice: (message) => ctx.stderr(`note: ${message}`),
      onProgress: (done, total) => {
        if (!progress.hasTotal && total) progress.setTotal(total);
        progress.update(done);
      },
    }).finally(() => {
      commandStdout.flush();
      commandStderr.flush();
    });
    progress.settle();
    const { manifest, metrics } = result.finished;
    for (const line of describeFinishProblems(result.finished).slice(0, 20)) ctx.stderr(line);
    // Lines written but none valid are errors above, not a run that recorded nothing.
    if (manifest.counts.traces === 0 && result.finished.errors.length === 0)
      ctx.stderr(`note: ${result.emptyShard ?? noTracesHint(args.values['no-otlp'] ? '--no-otlp' : undefined)}`);
    ctx.stdout(`\nrun ${manifest.id} ${manifest.status}${manifest.statusReason ? ` (${manifest.statusReason})` : ''}`);
    ctx.stdout(`${countNoun(manifest.counts.traces, 'trace')}, ${countNoun(manifest.counts.errors, 'error')} · ${result.dir}\n`);
    // A table of dashes says nothing a run of no traces has not said already.
    if (manifest.counts.traces > 0) ctx.stdout(formatMetricsTable(metrics));
    return exitCodeOf(manifest.status, result.process);
  },
};

/** --experiment, or the data folder's only experiment (said on stderr, so the choice is seen). */
async function chooseExperiment(given: string | undefined, create: boolean, ctx: CommandContext): Promise<string> {
  if (given) return given;
  if (create) throw new UsageError('--create needs --experiment <name>: the name of the experiment to make');
  const experiments = await listExperiments(ctx.dataDir);
  if (experiments.length === 1) {
    ctx.stderr(`experiment: ${experiments[0]} (the only one in ${relative(ctx.cwd, ctx.dataDir) || '.'})`);
    return experiments[0]!;
  }
  if (experiments.length === 0)
    throw new UsageError(`--experiment is required: ${ctx.dataDir} has no experiment yet ("labbook init" makes one, or --create)`);
  throw new UsageError(`--experiment is required: one of ${experiments.join(', ')}`);
}

/**
 * 0 for a completed run. Otherwise the command's own way of ending, as a shell reports it (130
 * for Ctrl-C, 143 for SIGTERM, its exit code), so a script or CI step that wraps `labbook run`
 * sees what the command did; 1 when the command ended well but the run is not complete.
 */
function exitCodeOf(status: RunStatus, process: RunProcess): number {
  if (status === 'completed') return 0;
  if (process.signal) {
    const number = osConstants.signals[process.signal as keyof typeof osConstants.signals];
    if (number) return 128 + number;
  }
  return process.exitCode !== null && process.exitCode > 0 ? process.exitCode : 1;
}

/** The YAML files here that could be the agent's config, for the message that asks for one. */
function configHint(cwd: string): string {
  let names: string[];
  try {
    names = readdirSync(cwd).filter((name) => /\.ya?ml$/i.test(name) && name !== 'labbook.config.yaml');
  } catch {
    return '';
  }
  if (names.length === 0) return '';
  const shown = names.sort().slice(0, 3).join(', ');
  return ` (here: ${shown}${names.length > 3 ? ', …' : ''})`;
}
