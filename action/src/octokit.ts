import { getOctokit } from '@actions/github';
import { githubTimeoutSeconds, noAnswerError } from '../../src/github/timeout.ts';

/** The one REST client type the action uses. */
export type Octokit = ReturnType<typeof getOctokit>;

/**
 * The one place a client is made. `@actions/github` points it at `GITHUB_API_URL` (GitHub
 * Enterprise, or the local server the tests run), so nothing else needs to know the address.
 * Every request is given up after LABBOOK_GITHUB_TIMEOUT seconds (default 30), as the CLI's
 * are: a request that hangs would otherwise hold the job until GitHub's six-hour limit.
 */
export function createOctokit(token: string, env: NodeJS.ProcessEnv = process.env): Octokit {
  const seconds = githubTimeoutSeconds(env);
  const octokit = getOctokit(token);
  // `before` changes the request's options in place (a `wrap` that passed new options on did
  // not reach fetch); `error` tells the timeout from GitHub's answers, since octokit reports a
  // request it aborted as a 500.
  octokit.hook.before('request', (options) => {
    options.request = { ...options.request, signal: AbortSignal.timeout(seconds * 1000) };
  });
  octokit.hook.error('request', (error, options) => {
    if (options.request?.signal?.aborted) throw noAnswerError(seconds, error);
    throw error;
  });
  return octokit;
}
