import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { z } from 'zod';
import { LabbookError } from '../../src/errors/index.ts';
import { errorMessage } from '../../src/errors/error-message.ts';
import { parseJson } from '../../src/json/parse-json.ts';

/** What the action knows about the job it runs in, from the runner's variables and the event payload. */
export interface GithubContext {
  repository: { owner: string; repo: string; fullName: string };
  serverUrl: string;
  apiUrl: string;
  sha: string;
  ref: string;
  eventName: string;
  workflowRun: { runId: string; attempt: string };
  /** Who started this workflow run (or re-ran it): `GITHUB_TRIGGERING_ACTOR`, else `GITHUB_ACTOR`. */
  actor: string;
  workspace: string;
  /** The runner's temporary folder (emptied after each job). */
  tempDir: string;
  /** The branch the job runs for: the pushed branch, or a pull request's head branch; null for tags. */
  currentBranch: string | null;
  defaultBranch: string | null;
  pullRequest: { number: number; headSha: string; fromFork: boolean } | null;
}

/** The few payload fields the action reads; everything else in the payload is left alone. */
const payloadSchema = z.looseObject({
  repository: z.looseObject({ default_branch: z.string().optional(), full_name: z.string().optional() }).optional(),
  pull_request: z
    .looseObject({
      number: z.number().int(),
      head: z.looseObject({ sha: z.string(), ref: z.string(), repo: z.looseObject({ full_name: z.string() }).nullable().optional() }),
    })
    .optional(),
});

export function readGithubContext(env: NodeJS.ProcessEnv): GithubContext {
  const need = (name: string): string => {
    const value = env[name];
    if (!value) throw new LabbookError(`${name} is not set: the action runs inside a GitHub Actions job, which sets it`);
    return value;
  };
  const fullName = need('GITHUB_REPOSITORY');
  const [owner, repo] = fullName.split('/');
  if (!owner || !repo) throw new LabbookError(`GITHUB_REPOSITORY is "${fullName}", expected owner/name`);
  const ref = env.GITHUB_REF ?? '';
  const payload = readPayload(env.GITHUB_EVENT_PATH);
  const pr = payload.pull_request;
  const serverUrl = (env.GITHUB_SERVER_URL || 'https://github.com').replace(/\/+$/, '');
  return {
    repository: { owner, repo, fullName },
    serverUrl,
    apiUrl: (env.GITHUB_API_URL || 'https://api.github.com').replace(/\/+$/, ''),
    sha: need('GITHUB_SHA'),
    ref,
    eventName: env.GITHUB_EVENT_NAME ?? '',
    workflowRun: { runId: need('GITHUB_RUN_ID'), attempt: env.GITHUB_RUN_ATTEMPT || '1' },
    actor: env.GITHUB_TRIGGERING_ACTOR || env.GITHUB_ACTOR || '',
    workspace: env.GITHUB_WORKSPACE || process.cwd(),
    tempDir: env.RUNNER_TEMP || tmpdir(),
    currentBranch: pr ? env.GITHUB_HEAD_REF || pr.head.ref : ref.startsWith('refs/heads/') ? ref.slice('refs/heads/'.length) : null,
    defaultBranch: payload.repository?.default_branch ?? null,
    pullRequest: pr
      ? {
          number: pr.number,
          headSha: pr.head.sha,
          // A deleted fork leaves `head.repo` null: treat it as a fork, its token is read-only too.
          fromFork: (pr.head.repo?.full_name ?? '') !== fullName,
        }
      : null,
  };
}

function readPayload(path: string | undefined): z.infer<typeof payloadSchema> {
  if (!path) return {};
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new LabbookError(`cannot read the event payload ${path} (GITHUB_EVENT_PATH): ${errorMessage(error)}`);
  }
  try {
    // GitHub's own file: its size and depth are GitHub's to choose, not bound like a trace's.
    return parseJson(text, payloadSchema, { file: path }, { limits: false });
  } catch (error) {
    throw new LabbookError(`the event payload (GITHUB_EVENT_PATH) is unusable: ${errorMessage(error)}`, { cause: error });
  }
}
