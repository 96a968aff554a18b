import { attestationProvenance } from './attestation-provenance.ts';
import { asGithubApiError } from './github-api-error.ts';
import type { BranchHistoryFacts, BranchPushFacts, DeployEvidence, RunArtifactFacts, WorkflowRunFacts } from './github-evidence.ts';
import { normaliseWorkflowPath } from './github-evidence.ts';
import { onFirstParentLine } from './first-parent-line.ts';

/** The slice of an Octokit client deploy uses: `request` with a route, as every Octokit has. */
export interface OctokitLike {
  request(
    route: string,
    parameters?: Record<string, unknown>,
  ): Promise<{ status: number; data: unknown; headers: Record<string, unknown> }>;
}

interface WorkflowRunBody {
  id: number;
  head_sha: string;
  head_branch: string | null;
  path: string;
  event: string;
  status: string | null;
  conclusion: string | null;
  repository: { full_name: string };
  head_repository: { full_name: string } | null;
  run_attempt?: number;
}

interface CompareBody {
  status?: string;
  total_commits?: number;
  commits?: Array<{ sha: string; parents: Array<{ sha: string }> }>;
}

/** Pages of 100 commits read to find a run's commit on its branch's first-parent line. */
const COMPARE_PAGES = 10;

interface ActivityBody {
  after: string;
  ref: string;
  timestamp: string;
  activity_type: string;
  actor: { login: string } | null;
}

/** Pages of 100 entries of a branch's activity record read for a push that left it at a commit. */
const ACTIVITY_PAGES = 10;

/** The `after` cursor of a `Link` header's `rel="next"` (the activity record pages by cursor). */
function nextCursor(link: unknown): string | null {
  if (typeof link !== 'string') return null;
  const next = /<([^>]+)>;\s*rel="next"/.exec(link)?.[1];
  return next ? new URL(next).searchParams.get('after') : null;
}

interface ArtifactBody {
  name: string;
  digest?: string | null;
  expired: boolean;
  workflow_run?: { id?: number; head_sha?: string } | null;
}

function workflowRunFacts(run: WorkflowRunBody): WorkflowRunFacts {
  return {
    id: run.id,
    headSha: run.head_sha,
    headBranch: run.head_branch ?? null,
    path: normaliseWorkflowPath(run.path),
    event: run.event,
    status: run.status,
    conclusion: run.conclusion,
    repository: run.repository.full_name,
    headRepository: run.head_repository?.full_name ?? null,
    runAttempt: run.run_attempt ?? 1,
  };
}

/** Reads deploy's evidence through an Octokit client (the action's, or one the CLI makes). */
export function octokitEvidence(octokit: OctokitLike, repository: string): DeployEvidence {
  const [owner, repo] = repository.split('/');
  /** A GET whose 404 means "GitHub has no such thing": null, not an error. */
  const getOrNull = async (route: string, parameters: Record<string, unknown>, shown: string): Promise<unknown> => {
    try {
      return (await octokit.request(route, { owner, repo, ...parameters })).data;
    } catch (error) {
      if ((error as { status?: number }).status === 404) return null;
      throw asGithubApiError(shown, error);
    }
  };
  /**
   * A push, in GitHub's activity record of `branch` (newest first), that left the branch at
   * `commit`. GitHub Enterprise Server without the endpoint, or a token refused it, answers as a
   * record with no such push: the check then stands on the first-parent line alone.
   */
  const pushLeavingBranchAt = async (branch: string, commit: string): Promise<BranchPushFacts | null> => {
    const ref = `refs/heads/${branch}`;
    let cursor: string | null = null;
    for (let page = 0; page < ACTIVITY_PAGES; page++) {
      let answer;
      try {
        answer = await octokit.request('GET /repos/{owner}/{repo}/activity', {
          owner,
          repo,
          ref,
          per_page: 100,
          ...(cursor ? { after: cursor } : {}),
        });
      } catch (error) {
        if ([403, 404, 422].includes((error as { status?: number }).status ?? 0)) return null;
        throw asGithubApiError(`GET /repos/${repository}/activity?ref=${ref}`, error);
      }
      const entries = answer.data as ActivityBody[];
      // A deletion's `after` is the null commit; every other kind leaves the ref at `after`.
      const push = entries.find((entry) => entry.ref === ref && entry.after === commit && entry.activity_type !== 'branch_deletion');
      if (push) return { kind: push.activity_type, at: push.timestamp, by: push.actor?.login ?? null };
      cursor = nextCursor(answer.headers.link);
      if (!cursor || entries.length === 0) return null;
    }
    return null;
  };
  return {
    async workflowRun(runId) {
      const data = await getOrNull(
        'GET /repos/{owner}/{repo}/actions/runs/{run_id}',
        { run_id: Number(runId) },
        `GET /repos/${repository}/actions/runs/${runId}`,
      );
      return data === null ? null : workflowRunFacts(data as WorkflowRunBody);
    },
    async workflowRunAttempt(runId, attempt) {
      const data = await getOrNull(
        'GET /repos/{owner}/{repo}/actions/runs/{run_id}/attempts/{attempt_number}',
        { run_id: runId, attempt_number: attempt },
        `GET /repos/${repository}/actions/runs/${runId}/attempts/${attempt}`,
      );
      return data === null ? null : workflowRunFacts(data as WorkflowRunBody);
    },
    async branchHistory(branch, commit) {
      // The branches endpoint names a branch only, never a tag of the same name (which a
      // workflow run's head_branch cannot tell apart).
      const found = (await getOrNull(
        'GET /repos/{owner}/{repo}/branches/{branch}',
        { branch },
        `GET /repos/${repository}/branches/${branch}`,
      )) as {
        commit: { sha: string };
      } | null;
      if (found === null) return null;
      const tip = found.commit.sha;
      if (tip === commit) return { branch, tip, contains: true, wasTip: true } satisfies BranchHistoryFacts;
      // base...head: `ahead` (or `identical`) when the base, the run's commit, is in the tip's
      // history; its pages list the commits the tip has and the base lacks, with their parents.
      const firstParents = new Map<string, string | undefined>();
      let status: string | undefined;
      let total = 0;
      for (let page = 1; page <= COMPARE_PAGES; page++) {
        const comparison = (await getOrNull(
          'GET /repos/{owner}/{repo}/compare/{basehead}',
          { basehead: `${commit}...${tip}`, per_page: 100, page },
          `GET /repos/${repository}/compare/${commit}...${tip}`,
        )) as CompareBody | null;
        if (comparison === null) return { branch, tip, contains: false, wasTip: false };
        status = comparison.status;
        total = comparison.total_commits ?? 0;
        if (status !== 'ahead') break; // not in the history: no line to walk
        const commits = comparison.commits ?? [];
        for (const c of commits) firstParents.set(c.sha, c.parents[0]?.sha);
        if (commits.length < 100 || firstParents.size >= total) break;
      }
      const contains = status === 'ahead' || status === 'identical';
      const wasTip = status === 'identical' || (contains && onFirstParentLine(tip, commit, firstParents, firstParents.size >= total));
      if (!contains || wasTip === true) return { branch, tip, contains, wasTip };
      const pushedTip = await pushLeavingBranchAt(branch, commit);
      return pushedTip ? { branch, tip, contains, wasTip: true, pushedTip } : { branch, tip, contains, wasTip };
    },
    async runArtifacts(runId, name) {
      const artifacts: RunArtifactFacts[] = [];
      // 100 a page; ten pages reach past any workflow run's artifacts of one name.
      for (let page = 1; page <= 10; page++) {
        const { data } = await octokit
          .request('GET /repos/{owner}/{repo}/actions/runs/{run_id}/artifacts', { owner, repo, run_id: runId, name, per_page: 100, page })
          .catch((error: unknown) => {
            throw asGithubApiError(`GET /repos/${repository}/actions/runs/${runId}/artifacts`, error);
          });
        const body = (data as { artifacts?: ArtifactBody[] }).artifacts ?? [];
        for (const a of body) {
          artifacts.push({
            name: a.name,
            digest: a.digest ?? null,
            expired: a.expired,
            workflowRunId: a.workflow_run?.id ?? null,
            headSha: a.workflow_run?.head_sha ?? null,
          });
        }
        if (body.length < 100) break;
      }
      return artifacts;
    },
    async attestations(digest) {
      try {
        const { data } = await octokit.request('GET /repos/{owner}/{repo}/attestations/{subject_digest}', {
          owner,
          repo,
          subject_digest: digest,
          per_page: 100,
        });
        return ((data as { attestations?: Array<{ bundle?: unknown }> }).attestations ?? []).map((a) => attestationProvenance(a.bundle));
      } catch (error) {
        const status = (error as { status?: number }).status;
        if (status === 404) return [];
        if (status === 403 || status === 401 || status === 410 || status === 422) return null; // not available (plan, permissions): said so in the check
        throw asGithubApiError(`GET /repos/${repository}/attestations/${digest}`, error);
      }
    },
  };
}
