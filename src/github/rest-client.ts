import { Octokit } from 'octokit';

/**
 * The library's one GitHub client, for commands run outside the action (`labbook deploy check`).
 * `GITHUB_API_URL` points it elsewhere (GitHub Enterprise, or the local server tests use).
 */
export function createRestClient(env: NodeJS.ProcessEnv): Octokit | null {
  const token = env.GITHUB_TOKEN || env.GH_TOKEN;
  if (!token) return null;
  return new Octokit({ auth: token, baseUrl: env.GITHUB_API_URL || 'https://api.github.com', retry: { enabled: false }, throttle: { enabled: false } });
}
