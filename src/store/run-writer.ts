import { existsSync } from 'node:fs';
import { copyFile, mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { basename, join, relative, resolve, sep } from 'node:path';
import type { Experiment } from '../../schemas/experiment.ts';
import { RUN_NAME_MAX, type RunManifest, type RunProcess, type RunSource, type RunStatus, type Shard } from '../../schemas/run-manifest.ts';
import { LabbookError, NotFoundError } from '../errors/index.ts';
import type { CodeInfo } from '../provenance/git-info.ts';
import { TOOL_VERSION } from './version.ts';
import { writeFileAtomic } from './atomic-write.ts';
import { sha256File, sha256Hex, toDigest } from './digest.ts';
import { experimentDir, experimentFile, RUN_FILES, runDir } from './layout.ts';
import { assertName, slugify } from './names.ts';
import { newRunId } from './run-id.ts';
import { writeWriterLock } from './writer-lock.ts';
import { parseYamlMapping, toYaml } from './yaml.ts';

interface CreateRunOptions {
  dataDir: string;
  experiment: string;
  /** The agent config file; copied verbatim into the run as `config.yaml`. */
  configPath: string;
  /** Paths in run.json are recorded relative to this folder (the repository root). */
  rootDir?: string;
  /** A display name; defaults to the config's name. */
  name?: string;
  datasetPath?: string;
  source: RunSource;
  code: CodeInfo;
  shard?: Shard;
  now?: Date;
  /** Normally generated; given when a caller must know the id in advance (merging shards). */
  runId?: string;
  /** The experiment's evaluation plan in force (src/plan/plan-for-run.ts), kept as `plan.yaml`. */
  plan?: { path: string; text: string; committed: boolean } | null;
}

export interface CreatedRun {
  dir: string;
  manifest: RunManifest;
}

/**
 * Creates a run folder with `run.json` (status `running`) and the verbatim `config.yaml`, and the
 * experiment's `experiment.yaml` if the experiment is new. The folder is created exclusively,
 * so two writers can never share a run; nothing outside it is rewritten.
 */
export async function createRun(options: CreateRunOptions): Promise<CreatedRun> {
  const experiment = assertName('experiment', options.experiment);
  // Checked before anything is written: run.json must hold what every reader accepts.
  if (options.name !== undefined) checkRunName(options.name);
  const configPath = resolve(options.configPath);
  if (!existsSync(configPath)) throw new NotFoundError('config', options.configPath);
  if ((await stat(configPath)).isDirectory())
    throw new LabbookError(`the config ${options.configPath} is a folder: give the agent's config file`);
  if (options.datasetPath && existsSync(options.datasetPath) && (await stat(options.datasetPath)).isDirectory())
    throw new LabbookError(`the dataset ${options.datasetPath} is a folder: give the dataset file (JSON Lines)`);
  const configText = await readFile(configPath, 'utf8');
  parseYamlMapping(configText, options.configPath); // refuse a config that is not a mapping before anything is written
  const configName = slugify(basename(configPath));
  const now = options.now ?? new Date();
  const runId = assertName('run', options.runId ?? newRunId(configName, now));
  const root = options.rootDir ?? process.cwd();

  await ensureExperiment(options.dataDir, experiment);
  const dir = runDir(options.dataDir, experiment, runId);
  await mkdir(join(experimentDir(options.dataDir, experiment), 'runs'), { recursive: true });
  try {
    await mkdir(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') throw new LabbookError(`run ${runId} already exists in ${dir}`);
    throw error;
  }
  try {
    return await fillRunFolder(dir, options, { runId, experiment, configPath, configText, configName, root, now });
  } catch (error) {
    // Not a run yet (no run.json): a half-made folder would only be a puzzle for validate.
    await rm(dir, { recursive: true, force: true }).catch(() => undefined);
    throw error;
  }
}

async function fillRunFolder(
  dir: string,
  options: CreateRunOptions,
  {
    runId,
    experiment,
    configPath,
    configText,
    configName,
    root,
    now,
  }: { runId: string; experiment: string; configPath: string; configText: string; configName: string; root: string; now: Date },
): Promise<CreatedRun> {
  // Before run.json: a run that says `running` always names the process that will seal it.
  await writeWriterLock(dir);
  await writeFile(join(dir, RUN_FILES.config), configText);
  if (options.plan) await writeFile(join(dir, RUN_FILES.plan), options.plan.text);

  let dataset: RunManifest['dataset'] = null;
  if (options.datasetPath) {
    const datasetPath = resolve(options.datasetPath);
    if (!existsSync(datasetPath)) throw new NotFoundError('dataset', options.datasetPath);
    dataset = {
      path: displayPath(datasetPath, root),
      digest: toDigest(await sha256File(datasetPath)),
      size: (await stat(datasetPath)).size,
    };
  }

  const manifest: RunManifest = {
    schemaVersion: 1,
    id: runId,
    experiment,
    name: options.name ?? configName,
    status: 'running',
    createdAt: now.toISOString(),
    source: options.source,
    code: options.code,
    config: { path: displayPath(configPath, root), name: configName, digest: toDigest(sha256Hex(configText)) },
    dataset,
    ...(options.plan
      ? { plan: { path: options.plan.path, digest: toDigest(sha256Hex(options.plan.text)), committed: options.plan.committed } }
      : {}),
    counts: { traces: 0, errors: 0, spans: 0, scores: 0 },
    tool: { name: 'labbook', version: TOOL_VERSION },
    ...(options.shard ? { shard: options.shard } : {}),
    files: {},
  };
  await writeManifest(dir, manifest);
  return { dir, manifest };
}

/** A run name every reader of run.json accepts; a LabbookError that says what is wrong otherwise. */
export function checkRunName(name: string): void {
  if (name.trim() === '')
    throw new LabbookError(`a run name cannot be empty${name ? ' or only spaces' : ''}: leave it out to name the run after its config`);
  if (name.length > RUN_NAME_MAX) throw new LabbookError(`a run name is at most ${RUN_NAME_MAX} characters; this one has ${name.length}`);
}

/** Writes `experiment.yaml` for a new experiment; never touches an existing one. */
export async function ensureExperiment(dataDir: string, experiment: string, definition?: Partial<Experiment>): Promise<void> {
  const file = experimentFile(dataDir, experiment);
  if (existsSync(file)) return;
  await mkdir(experimentDir(dataDir, experiment), { recursive: true });
  try {
    await writeFile(file, toYaml({ name: experiment, ...definition }), { flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return; // another writer made it first
    // Created by this call (wx) but not written (a full disk): an empty experiment.yaml would
    // fail validation later, far from the cause.
    await rm(file, { force: true }).catch(() => undefined);
    throw error;
  }
}

export async function writeManifest(dir: string, manifest: RunManifest): Promise<void> {
  await writeFileAtomic(join(dir, RUN_FILES.manifest), `${JSON.stringify(manifest, null, 2)}\n`);
}

function displayPath(path: string, root: string): string {
  const rel = relative(root, path);
  return rel.startsWith('..') || rel === '' ? path : rel.split(sep).join('/');
}

/**
 * Makes a checked JSON Lines file a live run's traces, byte for byte (the action ingesting a
 * `traces` input); sealing then compresses it like any other run's.
 */
export async function adoptTracesFile(dir: string, file: string): Promise<void> {
  await copyFile(file, join(dir, RUN_FILES.traces));
}

export type { RunStatus, RunProcess };
