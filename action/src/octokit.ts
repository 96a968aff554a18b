import { getOctokit } from '@actions/github';

/** The one REST client type the action uses. */
export type Octokit = ReturnType<typeof getOctokit>;

/**
 * The one place a client is made. `@actions/github` points it at `GITHUB_API_URL` (GitHub
 * Enterprise, or the local server the tests run), so nothing else needs to know the address.
 */
export function createOctokit(token: string): Octokit {
  return getOctokit(token);
}
