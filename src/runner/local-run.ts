import { resolve } from 'node:path';
import type { RunProcess, Shard } from '../../schemas/run-manifest.ts';
import { findPlanForRun } from '../plan/plan-for-run.ts';
import { readCodeInfo } from '../provenance/git-info.ts';
import { sourceFromEnv } from '../provenance/source-from-env.ts';
import type { FinishRunResult } from '../store/finish-run.ts';
import { RUN_FILES } from '../store/layout.ts';
import { createRun } from '../store/run-writer.ts';
import { environmentErrorFrom } from '../errors/environment-error.ts';
import { LabbookError } from '../errors/index.ts';
import { recordWriterChild } from '../store/writer-lock.ts';
import { join } from 'node:path';
import { errorMessage } from '../errors/error-message.ts';
import { executeCommand } from './execute-command.ts';
import { assertCommandExists } from './find-command.ts';
import { checkDataset } from './check-dataset.ts';
import { whenEmpty } from './empty-run.ts';
import { receiverEvaluators } from './receiver-evaluators.ts';
import type { EvaluatorConfig } from '../../schemas/experiment.ts';
import { requireExperiment } from './require-experiment.ts';
import { LineCounter } from '../store/line-counter.ts';
import { startTraceCapture, type TraceCapture } from './trace-capture.ts';
import { runEnvironment } from '../store/run-env.ts';
import { statusFromProcess } from './status-from-process.ts';
import { setAsideTornTail } from '../store/torn-tail.ts';

/** Sealing's modules, loaded once the command is spawned (see onSpawn below). */
const sealing = () => import('../store/finish-run.ts');

interface LocalRunOptions {
  dataDir: string;
  rootDir: string;
  cwd: string;
  env: NodeJS.ProcessEnv;
  experiment: string;
  /** Make the experiment when the data folder has none by that name (else that is an error). */
  createExperiment?: boolean;
  configPath: string;
  name?: string;
  datasetPath?: string;
  shard?: Shard;
  /** Trials per example, handed to the SDK as LABBOOK_TRIALS. */
  trials?: number;
  command: string[];
  /** Run an OTLP receiver (HTTP and gRPC) for the command (default true; `labbook run --no-otlp` turns it off). */
  otlp?: boolean;
  /** Evaluators for the traces the receiver records, besides experiment.yaml's `evaluators:`. */
  evaluators?: readonly EvaluatorConfig[];
  /** Lines of the run's log that are Labbook's own (the receiver's), for stderr. */
  onLog?: (line: string) => void;
  onStdout?: (chunk: string) => void;
  onStderr?: (chunk: string) => void;
  /** Told when the run records a plan that is not the committed plan.yaml. */
  onNotice?: (message: string) => void;
  /** Called about once a second with the number of traces written so far. */
  onProgress?: (traces: number, total: number | undefined) => void;
}

interface LocalRunResult {
  dir: string;
  process: RunProcess;
  finished: FinishRunResult;
  /** Why a run that recorded nothing is nonetheless `completed`: a shard the dataset gives no example. */
  emptyShard?: string;
}

/**
 * `labbook run`: prepares a run, runs the evaluation command with the LABBOOK_* environment,
 * and seals the run whatever the command did. A failing command gives a `failed` run with
 * every trace it finished; an interrupted one a `partial` run.
 */
export async function runLocal(options: LocalRunOptions): Promise<LocalRunResult> {
  const configPath = resolve(options.cwd, options.configPath);
  const datasetPath = options.datasetPath ? resolve(options.cwd, options.datasetPath) : undefined;
  if (!options.createExperiment) await requireExperiment(options.dataDir, options.experiment);
  if (options.command[0]) assertCommandExists(options.command[0], options.cwd, options.env);
  const dataset = datasetPath ? await checkDataset(datasetPath, options.shard) : undefined;
  const code = await readCodeInfo(options.rootDir);
  const plan = await findPlanForRun({
    dataDir: options.dataDir,
    experiment: options.experiment,
    rootDir: options.rootDir,
    commit: code.commit,
  });
  if (plan?.notice) options.onNotice?.(plan.notice);
  // --trials wins; otherwise the plan's trials per example.
  const trials = options.trials ?? plan?.plan.trials;
  // Checked before the run exists: a wrong evaluator option is a usage error, not a failed run.
  const evaluators = options.otlp === false ? [] : await receiverEvaluators(options.dataDir, options.experiment, options.evaluators ?? []);
  const { dir, manifest } = await createRun({
    dataDir: options.dataDir,
    experiment: options.experiment,
    configPath,
    rootDir: options.rootDir,
    name: options.name,
    datasetPath,
    source: sourceFromEnv(options.env),
    code,
    shard: options.shard,
    plan,
  });
  // A trace per example and trial: the share of the dataset this run's script will trace.
  const total = dataset ? dataset.inShard * (trials ?? 1) : undefined;
  const counter = new LineCounter(join(dir, RUN_FILES.traces));
  const timer = options.onProgress ? setInterval(() => void counter.poll().then((n) => options.onProgress?.(n, total)), 1000) : undefined;
  timer?.unref(); // the command holds this process while it runs; nothing after it should wait for this

  let process: RunProcess;
  let capture: TraceCapture | undefined;
  try {
    capture = await startTraceCapture(
      dir,
      options.otlp === false
        ? undefined
        : {
            runDir: dir,
            experiment: manifest.experiment,
            datasetPath,
            env: options.env,
            evaluators,
            onLog: (line) => options.onLog?.(`labbook otlp: ${line}`),
          },
    );
    process = await executeCommand(options.command, {
      cwd: options.cwd,
      env: {
        ...options.env,
        ...capture.env,
        ...runEnvironment({
          runDir: dir,
          runId: manifest.id,
          experiment: manifest.experiment,
          dataDir: resolve(options.dataDir),
          config: configPath,
          dataset: datasetPath,
          shard: options.shard ? `${options.shard.index}/${options.shard.count}` : undefined,
          trials: trials === undefined ? undefined : String(trials),
        }),
      },
      onStdout: options.onStdout,
      onStderr: options.onStderr,
      onSpawn: (pid) => {
        try {
          recordWriterChild(dir, pid);
        } catch {
          // best effort: without it, the runner's own pid still names the writer
        }
        // While the command's runtime starts, this process would wait: what receiving and
        // sealing need loads then rather than before the spawn (about 60 ms on our machines).
        capture?.prepare();
        sealing().catch(() => {}); // awaited where used
      },
    });
  } catch (error) {
    if (timer) clearInterval(timer);
    await capture?.finish().catch(() => undefined);
    const { finishRun } = await sealing();
    await finishRun(dir, { status: 'failed', statusReason: `the command could not start: ${errorMessage(error)}` });
    throw error;
  }
  const empty = whenEmpty(options.shard, dataset);
  let finished: FinishRunResult;
  try {
    let sums: Awaited<ReturnType<TraceCapture['finish']>>;
    try {
      sums = await capture.finish();
    } finally {
      if (timer) clearInterval(timer);
    }
    options.onProgress?.(await counter.poll(), total);
    const ending = statusFromProcess(process);
    // Ctrl-C lands mid-write as often as not: an interrupted command's cut-off last line is set
    // aside (as repair does), so the run is partial with every whole trace, not failed.
    const torn = ending.status === 'partial' ? await setAsideTornTail(join(dir, RUN_FILES.traces), join(dir, RUN_FILES.tornTraces)) : null;
    if (torn)
      ending.statusReason = `${ending.statusReason}; its last line, cut off mid-write (${torn.bytes} bytes), was set aside in ${RUN_FILES.tornTraces}`;
    const { finishRun } = await sealing();
    finished = await finishRun(dir, { ...ending, process, ...sums, ...empty.finish });
  } catch (error) {
    // A full disk, say (while the receiver wrote, or while sealing): every trace written so far
    // stays, and the run can be sealed later.
    const environment = environmentErrorFrom(error, dir);
    if (!environment) throw error;
    throw new LabbookError(
      `${environment.message}. Run ${manifest.id} is not sealed; once that is fixed, "labbook repair ${manifest.id}" seals it`,
      { cause: error },
    );
  }
  const emptyShard = empty.explain(finished.manifest.counts.traces);
  return { dir, process, finished, ...(emptyShard ? { emptyShard } : {}) };
}
