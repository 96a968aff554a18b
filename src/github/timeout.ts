import { UsageError } from '../errors/index.ts';

/** Seconds a request to GitHub's API may take before it is given up, unless LABBOOK_GITHUB_TIMEOUT says otherwise. */
const DEFAULT_GITHUB_TIMEOUT_SECONDS = 30;

/**
 * LABBOOK_GITHUB_TIMEOUT as seconds: a positive number, else the default. fetch waits for ever
 * on a server that takes a connection and never answers; a deploy job would then hold its
 * runner until GitHub's six-hour limit.
 */
export function githubTimeoutSeconds(env: NodeJS.ProcessEnv): number {
  const raw = env.LABBOOK_GITHUB_TIMEOUT;
  if (raw === undefined || raw.trim() === '') return DEFAULT_GITHUB_TIMEOUT_SECONDS;
  const seconds = Number(raw);
  if (!Number.isFinite(seconds) || seconds <= 0)
    throw new UsageError(`LABBOOK_GITHUB_TIMEOUT must be a number of seconds above 0, got ${JSON.stringify(raw)}`);
  return seconds;
}

/** What a request given up after `seconds` is reported as: not GitHub's answer, so no status. */
export function noAnswerError(seconds: number, cause: unknown): Error {
  return new Error(`no answer within ${seconds} s (LABBOOK_GITHUB_TIMEOUT sets how long to wait)`, { cause });
}
