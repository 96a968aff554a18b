import { existsSync, readdirSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { agentConfigSchema, type AgentConfig } from '../../schemas/agent-config.ts';
import type { Experiment } from '../../schemas/experiment.ts';
import type { RunMetrics } from '../../schemas/metrics.ts';
import type { RunManifest } from '../../schemas/run-manifest.ts';
import type { Trace } from '../../schemas/trace.ts';
import { LabbookError, NotFoundError } from '../errors/index.ts';
import { RUN_FILES, runDir } from './layout.ts';
import { readRunManifest, readRunMetrics, streamTraces, type StreamTracesOptions } from './run-reader.ts';
import { findRun, listExperiments, listRunIds, readExperiment } from './store.ts';
import { parseYamlMapping } from './yaml.ts';
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
   * The traces, streamed one at a time from `traces.jsonl`: memory stays flat however large
   * the file. The first invalid line throws a `FileFormatError` naming the file and line,
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
  return storeAt(resolveDataDir(resolve(path)));
}

/**
 * The read API of the store: handles on experiments and runs, over the functions of store.ts
 * (which it is made of). `dataDir` is taken as given, the way the CLI's `--data` names it.
 */
export function storeAt(dataDir: string): Store {
  return {
    dataDir,
    async experiments() {
      return Promise.all((await listExperiments(dataDir)).map((name) => openExperiment(dataDir, name)));
    },
    experiment: (name) => openExperiment(dataDir, name),
    async run(id) {
      const found = await findRun(dataDir, id);
      return runHandle(found.dir, found.manifest);
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
  const definition = await readExperiment(dataDir, name);
  return {
    name,
    definition,
    async runs(options = {}) {
      const ids = await listRunIds(dataDir, name);
      const handles = await Promise.all(
        ids.map(async (id) => {
          const dir = runDir(dataDir, name, id);
          try {
            return runHandle(dir, await readRunManifest(dir));
          } catch (error) {
            if (!(error instanceof LabbookError) || !options.onError) throw error;
            options.onError(error);
            return undefined;
          }
        }),
      );
      return handles.filter((handle): handle is RunHandle => handle !== undefined);
    },
  };
}

/** A handle on a run folder whose manifest has been read. */
export function runHandle(dir: string, manifest: RunManifest): RunHandle {
  return {
    id: manifest.id,
    experiment: manifest.experiment,
    dir,
    manifest,
    metrics: () => readRunMetrics(dir),
    async config() {
      const file = join(dir, RUN_FILES.config);
      if (!existsSync(file)) throw new NotFoundError('config', file);
      return agentConfigSchema.parse(parseYamlMapping(await readFile(file, 'utf8'), file));
    },
    traces: (options = {}) => streamTraces(dir, options),
    async *spans(options = {}) {
      for await (const trace of streamTraces(dir, options)) yield* flattenTrace(manifest.id, trace);
    },
  };
}
