import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { agentConfigSchema, type AgentConfig } from '../../schemas/agent-config.ts';
import type { Experiment } from '../../schemas/experiment.ts';
import type { RunMetrics } from '../../schemas/metrics.ts';
import type { RunManifest } from '../../schemas/run-manifest.ts';
import type { Trace } from '../../schemas/trace.ts';
import { NotFoundError, UsageError, type LabbookError } from '../errors/index.ts';
import { DataFolder, RunHandle as StoreRunHandle } from './handles.ts';
import type { StreamTracesOptions } from './run-reader.ts';
import { listExperiments } from './experiments.ts';
import { flattenTrace, type FlatSpan } from './flat-span.ts';

/** A read-only view of a data folder (`experiments/`). Nothing is read until asked for. */
export interface Store {
  /** The absolute data folder. */
  readonly dataDir: string;
  /** Every experiment, by name. */
  experiments(): Promise<ExperimentHandle[]>;
  /** One experiment; `NotFoundError` if there is none by that name. */
  experiment(name: string): Promise<ExperimentHandle>;
  /** A run of any experiment by id, or by a unique prefix or suffix (6+ characters) of its id. */
  run(id: string): Promise<RunHandle>;
}

export interface ExperimentHandle {
  readonly name: string;
  /** `experiment.yaml`, checked against its schema. */
  readonly definition: Experiment;
  /**
   * The experiment's runs, oldest first. A run whose `run.json` cannot be read throws, unless
   * `onError` is given: it is then reported there and left out, so one bad run costs only itself.
   */
  runs(options?: { onError?: (error: LabbookError) => void }): Promise<RunHandle[]>;
}

export interface RunHandle {
  readonly id: string;
  readonly experiment: string;
  /** The run's folder. */
  readonly dir: string;
  /** `run.json`: status, provenance (source, code, config), counts. */
  readonly manifest: RunManifest;
  /** `metrics.json` (a `running` run has none yet: `LabbookError`). */
  metrics(): Promise<RunMetrics>;
  /** The agent config (`config.yaml`) as a mapping. */
  config(): Promise<AgentConfig>;
  /**
   * The traces, streamed one at a time from the run's chunks (or an old run's `traces.jsonl`):
   * memory stays flat however large the run. The first invalid line throws a `FileFormatError` naming the file and line,
   * unless `onError` is given, in which case it is reported there and skipped.
   */
  traces(options?: Pick<StreamTracesOptions, 'onError' | 'uniqueIds'>): AsyncGenerator<Trace>;
  /** Every span of every trace, streamed, with its trace, run id and depth in the span tree. */
  spans(options?: Pick<StreamTracesOptions, 'onError' | 'uniqueIds'>): AsyncGenerator<FlatSpan>;
}

/**
 * Opens a data folder for analysis. `path` is the `experiments/` folder itself, or a folder
 * that holds one (a repository root), so `openStore('.')` works from the root of a project.
 */
export function openStore(path: string): Store {
  if (typeof path !== 'string' || path === '') {
    throw new UsageError(`openStore(path) expects the path of a data folder, got ${path === '' ? 'an empty string' : typeof path}`);
  }
  const store = storeAt(resolveDataDir(resolve(path)));
  // A mistyped path is an error, not a data folder without experiments: checked when first
  // read (nothing is read before), since the folder may be made after openStore is called.
  const present = () => assertDataFolder(store.dataDir);
  return {
    dataDir: store.dataDir,
    experiments: async () => (present(), store.experiments()),
    experiment: async (name) => (present(), store.experiment(name)),
    run: async (id) => (present(), store.run(id)),
  };
}

function assertDataFolder(dataDir: string): void {
  if (!existsSync(dataDir)) throw new NotFoundError('file', dataDir, 'no data folder there: give experiments/ or the folder that holds it');
  if (!statSync(dataDir).isDirectory())
    throw new UsageError(`${dataDir} is a file, not a data folder (experiments/ or the folder that holds it)`);
}

/**
 * The read API of the store: handles on experiments and runs (handles.ts, with what analysis
 * adds). `dataDir` is taken as given, the way the CLI's `--data` names it.
 */
export function storeAt(dataDir: string): Store {
  return {
    dataDir,
    async experiments() {
      return Promise.all((await listExperiments(dataDir)).map((name) => openExperiment(dataDir, name)));
    },
    experiment: (name) => openExperiment(dataDir, name),
    async run(id) {
      return analysisHandle(await new DataFolder(dataDir).findRun(id));
    },
  };
}

function resolveDataDir(path: string): string {
  const nested = join(path, 'experiments');
  if (existsSync(nested) && statSync(nested).isDirectory() && !holdsExperiments(path)) return nested;
  return path;
}

/** True when a child folder of `path` has an `experiment.yaml`. Synchronous: runs once. */
function holdsExperiments(path: string): boolean {
  try {
    return readdirSync(path).some((name) => existsSync(join(path, name, 'experiment.yaml')));
  } catch {
    return false;
  }
}

async function openExperiment(dataDir: string, name: string): Promise<ExperimentHandle> {
  const experiment = await new DataFolder(dataDir).experiment(name);
  const definition = await experiment.definition();
  return {
    name,
    definition,
    async runs(options = {}) {
      return (await experiment.runs(options)).map(analysisHandle);
    },
  };
}

/** A handle on a run folder whose manifest has been read. */
export function runHandle(dir: string, manifest: RunManifest): RunHandle {
  return analysisHandle(new StoreRunHandle(dir, manifest));
}

/** The store's run handle with what analysis adds: the config checked as an agent config, spans. */
function analysisHandle(run: StoreRunHandle): RunHandle {
  return {
    id: run.id,
    experiment: run.experiment,
    dir: run.dir,
    manifest: run.manifest,
    metrics: () => run.metrics(),
    async config() {
      return agentConfigSchema.parse(await run.configMapping());
    },
    traces: (options = {}) => run.traces(options),
    async *spans(options = {}) {
      for await (const trace of run.traces(options)) yield* flattenTrace(run.id, trace);
    },
  };
}
