import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import type { RunProcess, RunSource } from '../../../schemas/run-manifest.ts';
import { errorMessage } from '../../../src/errors/error-message.ts';
import { LabbookError } from '../../../src/errors/index.ts';
import { findPlanForRun } from '../../../src/plan/plan-for-run.ts';
import { readCodeInfo } from '../../../src/provenance/git-info.ts';
import { executeCommand } from '../../../src/runner/execute-command.ts';
import { startTraceCapture, type TraceCapture } from '../../../src/runner/trace-capture.ts';
import { receiverEvaluators } from '../../../src/runner/receiver-evaluators.ts';
import { checkDataset } from '../../../src/runner/check-dataset.ts';
import { whenEmpty } from '../../../src/runner/empty-run.ts';
import { runEnvironment } from '../../../src/store/run-env.ts';
import { statusFromProcess } from '../../../src/runner/status-from-process.ts';
import { shardRunId } from '../../../src/shard-merge/shard-run-id.ts';
import { finishRun, type FinishRunResult } from '../../../src/store/finish-run.ts';
import { slugify } from '../../../src/store/names.ts';
import { createRun } from '../../../src/store/run-writer.ts';
import { commandEnvironment } from '../command-env.ts';
import type { GithubContext } from '../github-context.ts';
import type { EvaluateInputs } from '../inputs.ts';
import { checkTracesFile, convertTraces, ingestTracesFile } from './ingest-traces.ts';
import { TracesFileError } from './traces-file-error.ts';

interface ProducedRun {
  dir: string;
  finished: FinishRunResult;
  process?: RunProcess;
  /** Why a run whose command recorded nothing is nonetheless `completed`: a shard the dataset gives no example. */
  emptyShard?: string;
}

interface ProduceRunOptions {
  inputs: EvaluateInputs;
  context: GithubContext;
  source: RunSource;
  /** The action's own environment; the command gets it without the action's inputs. */
  env: NodeJS.ProcessEnv;
  onStdout: (chunk: string) => void;
  onStderr: (chunk: string) => void;
}

/**
 * Makes the run: creates its folder, runs the command with the LABBOOK_* environment (or
 * ingests a checked traces file), and seals it. A command that fails still gives a sealed
 * `failed` run with every trace it finished, so it can be pushed and looked at.
 */
export async function produceRun(options: ProduceRunOptions): Promise<ProducedRun> {
  const { inputs, context } = options;
  const workspace = context.workspace;
  const configPath = resolve(workspace, inputs.config);
  const dataDir = resolve(workspace, inputs.dataPath);
  const datasetPath = inputs.dataset ? resolve(workspace, inputs.dataset) : undefined;

  let tracesFile: string | undefined;
  if (inputs.work.kind === 'traces') {
    tracesFile = resolve(workspace, inputs.work.file);
    if (!existsSync(tracesFile)) throw new LabbookError(`input "traces": no file ${inputs.work.file} in the workspace`);
    if (inputs.work.format !== 'labbook') tracesFile = await convertTraces(tracesFile, inputs.work.format, options.onStderr);
    const check = await checkTracesFile(tracesFile);
    if (check.kind === 'invalid') throw new TracesFileError(tracesFile, check.errors, check.count);
  }

  const configName = slugify(basename(configPath));
  const code = await readCodeInfo(workspace);
  // The plan as committed at the evaluated commit: the one the gate will hold this run to.
  const plan = await findPlanForRun({ dataDir, experiment: inputs.experiment, rootDir: workspace, commit: code.commit });
  if (plan?.notice) options.onStderr(`${plan.notice}\n`);
  // Read before the run exists, as `labbook run` reads them: a problem in experiment.yaml fails
  // the step with its line, rather than recording and pushing a failed run.
  const evaluators = inputs.otlp && !tracesFile ? await receiverEvaluators(dataDir, inputs.experiment, []) : [];
  const { dir, manifest } = await createRun({
    dataDir,
    experiment: inputs.experiment,
    configPath,
    rootDir: workspace,
    name: inputs.name,
    datasetPath,
    source: options.source,
    code,
    plan,
    shard: inputs.shard,
    runId: inputs.shard ? shardRunId(configName, context.workflowRun, inputs.shard) : undefined,
  });

  if (tracesFile) {
    try {
      await ingestTracesFile(tracesFile, dir);
    } catch (error) {
      await rm(dir, { recursive: true, force: true }); // nothing was recorded yet: leave no half run
      throw error;
    }
    return { dir, finished: await finishRun(dir) };
  }

  const command = inputs.work.kind === 'command' ? inputs.work.command : '';
  // Checked before the command runs, as `labbook run` does; and whether this run must record a trace.
  const dataset = datasetPath ? await checkDataset(datasetPath, inputs.shard) : undefined;
  const argv = ['bash', '--noprofile', '--norc', '-eo', 'pipefail', '-c', command];
  const env: NodeJS.ProcessEnv = {
    ...commandEnvironment(options.env),
    ...runEnvironment({
      runDir: dir,
      runId: manifest.id,
      experiment: manifest.experiment,
      dataDir,
      config: configPath,
      dataset: datasetPath,
      shard: inputs.shard ? `${inputs.shard.index}/${inputs.shard.count}` : undefined,
      trials: (inputs.trials ?? plan?.plan.trials) === undefined ? undefined : String(inputs.trials ?? plan?.plan.trials),
    }),
  };
  const log = (line: string) => options.onStderr(`labbook otlp: ${line}\n`);
  let capture: TraceCapture | undefined;
  let process: RunProcess;
  try {
    const otlp = inputs.otlp
      ? {
          runDir: dir,
          experiment: manifest.experiment,
          datasetPath,
          env: options.env,
          evaluators,
          onLog: log,
        }
      : undefined;
    capture = await startTraceCapture(dir, otlp);
    process = await executeCommand(argv, {
      cwd: workspace,
      env: { ...env, ...capture.env },
      onStdout: options.onStdout,
      onStderr: options.onStderr,
      onSpawn: () => capture?.prepare(), // the receiver's decoding loads while the command starts
    });
  } catch (error) {
    await capture?.finish().catch(() => undefined);
    const finished = await finishRun(dir, { status: 'failed', statusReason: `the command could not start: ${errorMessage(error)}` });
    return { dir, finished };
  }
  // What the receiver wrote, or the command (followed as it wrote), is not parsed again by the seal, as under `labbook run`.
  const sums = await capture.finish();
  const empty = whenEmpty(inputs.shard, dataset);
  const finished = await finishRun(dir, { ...statusFromProcess(process), process, ...sums, ...empty.finish });
  const emptyShard = empty.explain(finished.manifest.counts.traces);
  return { dir, process, finished, ...(emptyShard ? { emptyShard } : {}) };
}
