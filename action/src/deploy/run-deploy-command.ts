import type { RunManifest } from '../../../schemas/run-manifest.ts';
import { executeCommand } from '../../../src/runner/execute-command.ts';
import { commandEnvironment } from '../command-env.ts';
import { errorMessage } from '../../../src/errors/error-message.ts';

/** The variables the deploy command gets, beside the step's own environment. */
const DEPLOY_ENV = {
  /** The run's code commit, which the checks proved the evaluation workflow built. */
  commit: 'LABBOOK_COMMIT',
  /** Absolute path of the run's stored, verified config.yaml. */
  config: 'LABBOOK_CONFIG',
  /** `sha256:` of that config, as run.json and the deployment's payload give it. */
  configDigest: 'LABBOOK_CONFIG_DIGEST',
  runId: 'LABBOOK_RUN_ID',
  experiment: 'LABBOOK_EXPERIMENT',
  environment: 'LABBOOK_ENVIRONMENT',
} as const;

type CommandResult = { ok: true } | { ok: false; reason: string };

/**
 * Runs the `deploy-command` input with bash (`-eo pipefail`, as a `run:` step does) in the
 * workspace. It sees the step's environment (so secrets passed with `env:` reach it) but not the
 * action's inputs or the runner's runtime and OIDC tokens.
 */
export async function runDeployCommand(
  command: string,
  options: { cwd: string; env: NodeJS.ProcessEnv; run: RunManifest; environment: string; configPath: string },
): Promise<CommandResult> {
  const { run } = options;
  const env: NodeJS.ProcessEnv = {
    ...commandEnvironment(options.env),
    [DEPLOY_ENV.commit]: run.code.commit ?? '',
    [DEPLOY_ENV.config]: options.configPath,
    [DEPLOY_ENV.configDigest]: run.config.digest,
    [DEPLOY_ENV.runId]: run.id,
    [DEPLOY_ENV.experiment]: run.experiment,
    [DEPLOY_ENV.environment]: options.environment,
  };
  try {
    const result = await executeCommand(['bash', '--noprofile', '--norc', '-eo', 'pipefail', '-c', command], {
      cwd: options.cwd,
      env,
      onStdout: (chunk) => process.stdout.write(chunk),
      onStderr: (chunk) => process.stderr.write(chunk),
    });
    if (result.exitCode === 0) return { ok: true };
    return {
      ok: false,
      reason: result.signal
        ? `the deploy command was killed by ${result.signal}`
        : `the deploy command exited with code ${result.exitCode}`,
    };
  } catch (error) {
    return { ok: false, reason: `the deploy command could not start: ${errorMessage(error)}` };
  }
}
