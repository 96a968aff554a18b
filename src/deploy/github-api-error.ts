import { LabbookError } from '../errors/index.ts';

/**
 * GitHub's API answered a question deploy needs with an error other than "not found" (a bad
 * token, a missing permission, an outage). It is not a verdict on the run, so it is not a failed
 * check: the message says which request failed and what usually fixes it.
 */
export class GithubApiError extends LabbookError {
  override name = 'GithubApiError';
  constructor(
    readonly request: string,
    readonly status: number | undefined,
    detail: string,
    options?: { cause?: unknown },
  ) {
    super(`GitHub API ${request} failed${status ? ` (${status})` : ''}: ${detail}${hint(status)}`, options);
  }
}

function hint(status: number | undefined): string {
  if (status === 401) return '. Is the token valid?';
  if (status === 403) return '. Does the token have the permission (deploy needs actions: read, attestations: read)?';
  return '';
}

/** Rethrows anything a client threw as a GithubApiError naming the request. */
export function asGithubApiError(request: string, error: unknown): GithubApiError {
  if (error instanceof GithubApiError) return error;
  const status = (error as { status?: number }).status;
  const message = (error as { message?: string }).message ?? String(error);
  return new GithubApiError(request, typeof status === 'number' ? status : undefined, message.split('\n')[0]!, { cause: error });
}
