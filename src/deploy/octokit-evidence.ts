import { attestationProvenance } from './attestation-provenance.ts';
import { asGithubApiError } from './github-api-error.ts';
import type { CommitStatusFacts, DeployEvidence, WorkflowRunFacts } from './github-evidence.ts';
import { normaliseWorkflowPath } from './github-evidence.ts';

/** The slice of an Octokit client deploy uses: `request` with a route, as every Octokit has. */
export interface OctokitLike {
  request(route: string, parameters?: Record<string, unknown>): Promise<{ status: number; data: unknown; headers: Record<string, unknown> }>;
}

interface WorkflowRunBody {
  id: number;
  head_sha: string;
  head_branch: string | null;
  path: string;
  event: string;
  status: string | null;
  conclusion: string | null;
  created_at?: string | null;
  run_started_at?: string | null;
  updated_at?: string | null;
  repository: { full_name: string };
  head_repository: { full_name: string } | null;
}

interface StatusBody {
  context: string;
  state: string;
  description: string | null;
  target_url: string | null;
  created_at: string;
  creator: { login: string; type: string } | null;
}

/** Reads deploy's evidence through an Octokit client (the action's, or one the CLI makes). */
export function octokitEvidence(octokit: OctokitLike, repository: string): DeployEvidence {
  const [owner, repo] = repository.split('/');
  return {
    async workflowRun(runId) {
      try {
        const { data } = await octokit.request('GET /repos/{owner}/{repo}/actions/runs/{run_id}', { owner, repo, run_id: Number(runId) });
        const run = data as WorkflowRunBody;
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
          createdAt: run.created_at ?? null,
          runStartedAt: run.run_started_at ?? null,
          updatedAt: run.updated_at ?? null,
        } satisfies WorkflowRunFacts;
      } catch (error) {
        if ((error as { status?: number }).status === 404) return null;
        throw asGithubApiError(`GET /repos/${repository}/actions/runs/${runId}`, error);
      }
    },
    async commitStatuses(sha) {
      const statuses: CommitStatusFacts[] = [];
      // Newest first, 100 a page; ten pages reach far past any run's status on one commit.
      for (let page = 1; page <= 10; page++) {
        const { data } = await octokit
          .request('GET /repos/{owner}/{repo}/commits/{ref}/statuses', { owner, repo, ref: sha, per_page: 100, page })
          .catch((error: unknown) => {
            throw asGithubApiError(`GET /repos/${repository}/commits/${sha}/statuses`, error);
          });
        const body = data as StatusBody[];
        for (const s of body) {
          statuses.push({
            context: s.context,
            state: s.state,
            description: s.description,
            targetUrl: s.target_url,
            creatorLogin: s.creator?.login ?? null,
            creatorType: s.creator?.type ?? null,
            createdAt: s.created_at,
          });
        }
        if (body.length < 100) break;
      }
      return statuses;
    },
    async attestations(digest) {
      try {
        const { data } = await octokit.request('GET /repos/{owner}/{repo}/attestations/{subject_digest}', { owner, repo, subject_digest: digest, per_page: 100 });
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
