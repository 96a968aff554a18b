import { request } from '@octokit/request';
import { githubTimeoutSeconds, noAnswerError } from './timeout.ts';

/** What the library asks of GitHub's REST API: one route at a time. */
interface RestClient {
  request(
    route: string,
    parameters?: Record<string, unknown>,
  ): Promise<{ status: number; data: unknown; headers: Record<string, unknown> }>;
}

/**
 * The library's one GitHub client, for commands run outside the action (`labbook deploy check`,
 * `labbook gc`). `GITHUB_API_URL` points it elsewhere (GitHub Enterprise, or the local server
 * tests use). Plain `@octokit/request` rather than the `octokit` bundle: the library needs
 * single requests only, and the bundle's newest parts require Node ≥ 22 (an engine warning on
 * every install). Each request is given up after LABBOOK_GITHUB_TIMEOUT seconds (default 30):
 * fetch waits for ever on a server that accepts a connection and never answers.
 */
export function createRestClient(env: NodeJS.ProcessEnv): RestClient | null {
  const token = env.GITHUB_TOKEN || env.GH_TOKEN;
  if (!token) return null;
  const seconds = githubTimeoutSeconds(env);
  const client = request.defaults({
    baseUrl: env.GITHUB_API_URL || 'https://api.github.com',
    headers: { authorization: `token ${token}` },
  });
  return {
    async request(route, parameters) {
      const signal = AbortSignal.timeout(seconds * 1000);
      try {
        return (await client(route, { ...parameters, request: { signal } })) as Awaited<ReturnType<RestClient['request']>>;
      } catch (error) {
        if (!signal.aborted) throw error;
        throw noAnswerError(seconds, error); // octokit would report it as a 500 from GitHub
      }
    },
  };
}
