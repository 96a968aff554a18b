import { request } from '@octokit/request';

/** What the library asks of GitHub's REST API: one route at a time. */
export interface RestClient {
  request(
    route: string,
    parameters?: Record<string, unknown>,
  ): Promise<{ status: number; data: unknown; headers: Record<string, unknown> }>;
}

/**
 * The library's one GitHub client, for commands run outside the action (`labbook deploy check`).
 * `GITHUB_API_URL` points it elsewhere (GitHub Enterprise, or the local server tests use).
 * Plain `@octokit/request` rather than the `octokit` bundle: the library needs single requests
 * only, and the bundle's newest parts require Node ≥ 22 (an engine warning on every install).
 */
export function createRestClient(env: NodeJS.ProcessEnv): RestClient | null {
  const token = env.GITHUB_TOKEN || env.GH_TOKEN;
  if (!token) return null;
  const client = request.defaults({
    baseUrl: env.GITHUB_API_URL || 'https://api.github.com',
    headers: { authorization: `token ${token}` },
  });
  return {
    request: async (route, parameters) =>
      client(route, parameters) as Promise<{ status: number; data: unknown; headers: Record<string, unknown> }>,
  };
}
