import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Experiment } from '../../schemas/experiment.ts';
import type { RunMetrics } from '../../schemas/metrics.ts';
import type { RunManifest } from '../../schemas/run-manifest.ts';
import type { Trace } from '../../schemas/trace.ts';
import { LabbookError, NotFoundError } from '../errors/index.ts';
import { sha256Hex, toDigest } from './digest.ts';
import { RUN_FILES, runDir } from './layout.ts';
import { readRunManifest, readRunMetrics, streamTraces, type StreamTracesOptions } from './run-reader.ts';
import { sumsDigest, verifyRunFiles, type SumsMismatch } from './sha256sums.ts';
import { listRunIds, locateRun } from './store.ts';
import { listExperiments, readExperiment } from './experiments.ts';
import {
  findTraceStorage,
  plainTraceBytes,
  streamTraceLines,
  type StreamTraceLinesOptions,
  type TraceLine,
  type TraceStorageFinding,
} from './trace-storage.ts';
import { parseYamlMapping } from './yaml.ts';

/**
 * Handles on the data folder, experiment → run → traces: the one way every reader reaches a
 * run's files. A handle reads each file once and keeps it (run.json, metrics, the config), so a
 * caller passes handles down instead of `(dataDir, runId)` pairs that each find and re-read the
 * run. Traces are never kept: `traces()` streams them from whichever form they are stored in.
 */
export class RunHandle {
  #metrics?: Promise<RunMetrics>;
  #configText?: Promise<string>;

  constructor(
    /** The run's folder. */
    readonly dir: string,
    /** run.json as read when the handle was made. */
    readonly manifest: RunManifest,
  ) {}

  /** A handle on a run folder, reading its run.json. */
  static async open(dir: string): Promise<RunHandle> {
    return new RunHandle(dir, await readRunManifest(dir));
  }

  get id(): string {
    return this.manifest.id;
  }

  get experiment(): string {
    return this.manifest.experiment;
  }

  /** `metrics.json` (a `running` run has none yet: `LabbookError`). */
  metrics(): Promise<RunMetrics> {
    this.#metrics ??= readRunMetrics(this.dir);
    return this.#metrics;
  }

  /** `config.yaml`, verbatim. */
  configText(): Promise<string> {
    const file = join(this.dir, RUN_FILES.config);
    this.#configText ??= existsSync(file) ? readFile(file, 'utf8') : Promise.reject(new NotFoundError('config', file));
    return this.#configText;
  }

  /** `config.yaml` as a mapping; errors name the file and line. */
  async configMapping(): Promise<Record<string, unknown>> {
    return parseYamlMapping(await this.configText(), join(this.dir, RUN_FILES.config));
  }

  /** The config's digest as run.json records it (`sha256:`), recomputed from the file. */
  async configDigest(): Promise<string> {
    return toDigest(sha256Hex(await this.configText()));
  }

  /** The traces in order, streamed from the run's chunks or its plain `traces.jsonl`. */
  traces(options: Omit<StreamTracesOptions, 'manifest'> = {}): AsyncGenerator<Trace> {
    return streamTraces(this.dir, { ...options, manifest: this.manifest });
  }

  /** Every trace line, unparsed, with the file and line it is in (merging, copying). */
  traceLines(options: Omit<StreamTraceLinesOptions, 'manifest'> = {}): AsyncGenerator<TraceLine> {
    return streamTraceLines(this.dir, { ...options, manifest: this.manifest });
  }

  /** Which form the traces are in (none, plain, chunks), and what disagrees on disk. */
  traceStorage(): Promise<TraceStorageFinding> {
    return findTraceStorage(this.dir, this.manifest);
  }

  /** Bytes of JSON Lines the traces hold, whatever their stored form. */
  plainTraceBytes(): Promise<number> {
    return plainTraceBytes(this.dir, this.manifest);
  }

  /** Files that no longer match SHA256SUMS (changed, missing, or added). */
  verifyFiles(): Promise<SumsMismatch[]> {
    return verifyRunFiles(this.dir);
  }

  /** The digest that stands for the whole run: sha256 of its SHA256SUMS (see deploy/sums-digest.ts). */
  contentDigest(): Promise<string> {
    return sumsDigest(this.dir);
  }
}

class ExperimentHandle {
  #definition?: Promise<Experiment>;

  constructor(
    readonly dataDir: string,
    readonly name: string,
  ) {}

  get dir(): string {
    return join(this.dataDir, this.name);
  }

  /** `experiment.yaml`, checked against its schema (read once). */
  definition(): Promise<Experiment> {
    this.#definition ??= readExperiment(this.dataDir, this.name);
    return this.#definition;
  }

  /** Run ids, oldest first. */
  runIds(): Promise<string[]> {
    return listRunIds(this.dataDir, this.name);
  }

  /**
   * The runs, oldest first. A run whose run.json cannot be read throws, unless `onError` is
   * given: it is then reported there and left out, so one bad run costs only itself.
   */
  async runs(options: { onError?: (error: LabbookError) => void } = {}): Promise<RunHandle[]> {
    const handles = await Promise.all(
      (await this.runIds()).map(async (id) => {
        try {
          return await RunHandle.open(runDir(this.dataDir, this.name, id));
        } catch (error) {
          if (!(error instanceof LabbookError) || !options.onError) throw error;
          options.onError(error);
          return undefined;
        }
      }),
    );
    return handles.filter((handle): handle is RunHandle => handle !== undefined);
  }

  /** One run by its full id. */
  run(id: string): Promise<RunHandle> {
    return RunHandle.open(runDir(this.dataDir, this.name, id));
  }
}

export class DataFolder {
  constructor(readonly dir: string) {}

  async experiments(): Promise<ExperimentHandle[]> {
    return (await listExperiments(this.dir)).map((name) => new ExperimentHandle(this.dir, name));
  }

  /** One experiment; `NotFoundError` when it has no experiment.yaml. */
  async experiment(name: string): Promise<ExperimentHandle> {
    const handle = new ExperimentHandle(this.dir, name);
    await handle.definition();
    return handle;
  }

  /** A run of any experiment by id, unique prefix or suffix, or name (see `locateRun`). */
  async findRun(ref: string): Promise<RunHandle> {
    return RunHandle.open((await locateRun(this.dir, ref)).dir);
  }

  /** Every run of every experiment, oldest first within each experiment. */
  async runs(options: { onError?: (error: LabbookError) => void } = {}): Promise<RunHandle[]> {
    const all: RunHandle[] = [];
    for (const experiment of await this.experiments()) all.push(...(await experiment.runs(options)));
    return all;
  }
}

export function openDataFolder(dataDir: string): DataFolder {
  return new DataFolder(dataDir);
}
