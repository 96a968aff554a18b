import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { resolveProjectPaths } from '../store/project-paths.ts';
import { NotFoundError, UsageError } from '../errors/index.ts';
import { readCodeInfo } from '../provenance/git-info.ts';
import { sourceFromEnv } from '../provenance/source-from-env.ts';
import { trialsFromEnv } from './trials-from-env.ts';
import { readRunEnvironment, RUN_ENV, type PreparedRunEnv } from '../store/run-env.ts';
import { RUN_FILES } from '../store/layout.ts';
import { readRunManifest } from '../store/run-reader.ts';
import { findPlanForRun } from '../plan/plan-for-run.ts';
import { createRun } from '../store/run-writer.ts';
import { TraceWriter } from '../store/trace-writer.ts';
import { parseYamlMapping } from '../store/yaml.ts';
import { checkOptions } from './check-options.ts';
import { Run } from './run.ts';
import { parseShard, type Shard } from './shard.ts';

export interface StartRunOptions {
  /** The experiment to create the run in (standalone only; `labbook run` decides otherwise). */
  experiment?: string;
  /** The agent config file (standalone only). */
  configPath?: string;
  /** The data folder; default `$LABBOOK_DATA`, else `data:` in labbook.config.yaml, else `experiments/` at the repository root. */
  dataDir?: string;
  /** The dataset the script reads; recorded with its digest. Under `labbook run`, its `--dataset` wins. */
  datasetPath?: string;
  /** A display name for the run (standalone only); default the config's name. */
  name?: string;
  /** `i/n` or `{ index, count }`; default `$LABBOOK_SHARD`. */
  shard?: string | Shard;
  /** Default `process.env`. */
  env?: NodeJS.ProcessEnv;
  /** Standalone only: seal the run as `partial`/`failed` on SIGINT, SIGTERM or an uncaught exception (default true). */
  handleCrashes?: boolean;
}

const START_OPTIONS = [
  'experiment',
  'configPath',
  'dataDir',
  'datasetPath',
  'name',
  'shard',
  'env',
  'handleCrashes',
] as const satisfies ReadonlyArray<keyof StartRunOptions>;

/**
 * Starts filling a run. Under `labbook run` or the GitHub Action (`LABBOOK_RUN_DIR` is set) it
 * joins the run they prepared, and they seal it when the script exits. Called alone, it
 * creates a local run from `{ experiment, configPath }` and `run.finish()` seals it.
 */
export async function startRun(options: StartRunOptions = {}): Promise<Run> {
  checkOptions(options, START_OPTIONS, 'startRun()');
  const env = options.env ?? process.env;
  const prepared = readRunEnvironment(env);
  return prepared ? joinRun(prepared, options, env) : createStandaloneRun(options, env);
}

async function joinRun(prepared: PreparedRunEnv, options: StartRunOptions, env: NodeJS.ProcessEnv): Promise<Run> {
  const dir = resolve(prepared.runDir);
  if (!existsSync(join(dir, RUN_FILES.manifest))) {
    throw new NotFoundError(
      'run',
      dir,
      `${RUN_ENV.runDir} names a folder without ${RUN_FILES.manifest}; start the script with labbook run`,
    );
  }
  const manifest = await readRunManifest(dir);
  const envShard = prepared.shard ? parseShard(prepared.shard) : manifest.shard;
  const optionShard = toShard(options.shard);
  if (optionShard && envShard && (optionShard.index !== envShard.index || optionShard.count !== envShard.count)) {
    throw new UsageError(
      `startRun({ shard: "${optionShard.index}/${optionShard.count}" }) contradicts the prepared run's shard ${envShard.index}/${envShard.count}`,
    );
  }
  const configFile = join(dir, RUN_FILES.config);
  return new Run(
    {
      id: manifest.id,
      dir,
      experiment: manifest.experiment,
      config: parseYamlMapping(await readFile(configFile, 'utf8'), configFile),
      configPath: prepared.config || configFile,
      datasetPath: prepared.dataset ?? (options.datasetPath ? resolve(options.datasetPath) : undefined),
      shard: envShard ?? optionShard,
      trials: trialsFromEnv(env),
      mode: 'joined',
    },
    new TraceWriter(dir),
  );
}

async function createStandaloneRun(options: StartRunOptions, env: NodeJS.ProcessEnv): Promise<Run> {
  if (!options.experiment || !options.configPath) {
    throw new UsageError(
      `startRun() needs { experiment, configPath } when the script is not started by labbook run (${RUN_ENV.runDir} is not set)`,
    );
  }
  const { rootDir, dataDir } = await resolveProjectPaths(process.cwd(), options.dataDir ?? env[RUN_ENV.dataDir]);
  const shard = toShard(options.shard) ?? (env[RUN_ENV.shard] ? parseShard(env[RUN_ENV.shard]!) : undefined);
  const code = await readCodeInfo(rootDir);
  const plan = await findPlanForRun({ dataDir, experiment: options.experiment, rootDir, commit: code.commit });
  const { dir, manifest } = await createRun({
    dataDir,
    rootDir,
    experiment: options.experiment,
    configPath: options.configPath,
    name: options.name,
    datasetPath: options.datasetPath,
    source: sourceFromEnv(env),
    code,
    plan,
    shard,
  });
  const configFile = join(dir, RUN_FILES.config);
  return new Run(
    {
      id: manifest.id,
      dir,
      experiment: manifest.experiment,
      config: parseYamlMapping(await readFile(configFile, 'utf8'), resolve(options.configPath)),
      configPath: resolve(options.configPath),
      datasetPath: options.datasetPath ? resolve(options.datasetPath) : undefined,
      shard,
      // LABBOOK_TRIALS when set, else the committed plan's trials per example.
      trials: env[RUN_ENV.trials] ? trialsFromEnv(env) : (plan?.plan.trials ?? 1),
      mode: 'standalone',
    },
    new TraceWriter(dir, { sum: true }), // this process seals the run
    { guard: options.handleCrashes !== false },
  );
}

function toShard(shard: string | Shard | undefined): Shard | undefined {
  if (shard === undefined) return undefined;
  return typeof shard === 'string' ? parseShard(shard) : parseShard(`${shard.index}/${shard.count}`);
}
