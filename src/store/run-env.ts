/**
 * The environment contract between whatever prepares a run (`labbook run`, the GitHub Action)
 * and the evaluation script that fills it (the SDK, or a script in any language that appends
 * JSON lines to `$LABBOOK_RUN_DIR/traces.jsonl` following schemas/json/trace.schema.json).
 */
export const RUN_ENV = {
  /** Absolute path of the run folder; traces go to `traces.jsonl` inside it. */
  runDir: 'LABBOOK_RUN_DIR',
  runId: 'LABBOOK_RUN_ID',
  experiment: 'LABBOOK_EXPERIMENT',
  /** Absolute path of the data folder (`experiments/`). */
  dataDir: 'LABBOOK_DATA',
  /** Absolute path of the agent config file the run was started with. */
  config: 'LABBOOK_CONFIG',
  /** Absolute path of the dataset, when one was given. */
  dataset: 'LABBOOK_DATASET',
  /** `i/n`: evaluate only the examples of shard i of n (1-based). */
  shard: 'LABBOOK_SHARD',
  /** K: how many times `run.map` evaluates each example (`labbook run --trials K`). */
  trials: 'LABBOOK_TRIALS',
} as const;

export interface PreparedRunEnv {
  runDir: string;
  runId: string;
  experiment: string;
  dataDir: string;
  config: string;
  dataset?: string;
  shard?: string;
  /** K trials per example, as a decimal string. */
  trials?: string;
}

/** The variables to add to the evaluation command's environment. */
export function runEnvironment(prepared: PreparedRunEnv): Record<string, string> {
  const env: Record<string, string> = {
    [RUN_ENV.runDir]: prepared.runDir,
    [RUN_ENV.runId]: prepared.runId,
    [RUN_ENV.experiment]: prepared.experiment,
    [RUN_ENV.dataDir]: prepared.dataDir,
    [RUN_ENV.config]: prepared.config,
  };
  if (prepared.dataset) env[RUN_ENV.dataset] = prepared.dataset;
  if (prepared.shard) env[RUN_ENV.shard] = prepared.shard;
  if (prepared.trials) env[RUN_ENV.trials] = prepared.trials;
  return env;
}

/** Reads the contract back (the SDK's side); null when no run was prepared. */
export function readRunEnvironment(env: NodeJS.ProcessEnv): PreparedRunEnv | null {
  const runDir = env[RUN_ENV.runDir];
  if (!runDir) return null;
  return {
    runDir,
    runId: env[RUN_ENV.runId] ?? '',
    experiment: env[RUN_ENV.experiment] ?? '',
    dataDir: env[RUN_ENV.dataDir] ?? '',
    config: env[RUN_ENV.config] ?? '',
    dataset: env[RUN_ENV.dataset] || undefined,
    shard: env[RUN_ENV.shard] || undefined,
  };
}
