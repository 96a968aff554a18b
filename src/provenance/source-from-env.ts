import { hostname, userInfo } from 'node:os';
import type { CiSource, LocalSource, RunSource } from '../../schemas/run-manifest.ts';

/**
 * The source of a run: `ci` when the GitHub Actions runner's variables are all present,
 * else `local` with this machine's host and user. Provenance is only as good as its claim;
 * deploy checks it against GitHub's API, so a forged `ci` source gains nothing.
 */
export function sourceFromEnv(env: NodeJS.ProcessEnv): RunSource {
  return ciSourceFromEnv(env) ?? localSource();
}

export function ciSourceFromEnv(env: NodeJS.ProcessEnv): CiSource | null {
  if (env.GITHUB_ACTIONS !== 'true' || !env.GITHUB_REPOSITORY || !env.GITHUB_RUN_ID || !env.GITHUB_SHA) return null;
  const serverUrl = env.GITHUB_SERVER_URL || 'https://github.com';
  return {
    kind: 'ci',
    provider: 'github',
    serverUrl,
    repository: env.GITHUB_REPOSITORY,
    workflow: env.GITHUB_WORKFLOW ?? '',
    workflowRef: env.GITHUB_WORKFLOW_REF || undefined,
    workflowRunId: env.GITHUB_RUN_ID,
    workflowRunAttempt: env.GITHUB_RUN_ATTEMPT || '1',
    job: env.GITHUB_JOB ?? '',
    ref: env.GITHUB_REF ?? '',
    sha: env.GITHUB_SHA,
    actor: env.GITHUB_ACTOR ?? '',
    event: env.GITHUB_EVENT_NAME ?? '',
    runUrl: `${serverUrl}/${env.GITHUB_REPOSITORY}/actions/runs/${env.GITHUB_RUN_ID}/attempts/${env.GITHUB_RUN_ATTEMPT || '1'}`,
    // A label a simulation puts on itself; it only ever takes credibility away.
    ...(env.LABBOOK_SIMULATED_CI === 'true' ? { simulated: true as const } : {}),
  };
}

function localSource(): LocalSource {
  let user = 'unknown';
  try {
    user = userInfo().username;
  } catch {
    // No passwd entry (some containers): keep "unknown".
  }
  return { kind: 'local', host: hostname(), user };
}
