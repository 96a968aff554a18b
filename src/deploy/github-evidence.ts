/** The facts deploy needs from GitHub's REST API, whatever client fetches them. */
export interface WorkflowRunFacts {
  id: number;
  headSha: string;
  /** The branch the workflow run ran on, as GitHub recorded it (null for a tag, or when unknown). */
  headBranch: string | null;
  /** `.github/workflows/evaluate.yml`, normalised from `path` (which may carry `owner/repo/…@ref`). */
  path: string;
  event: string;
  status: string | null;
  conclusion: string | null;
  repository: string;
  /** Null when the head repository is gone (a deleted fork): never equal to `repository`. */
  headRepository: string | null;
  /** The latest attempt (`run_attempt`); `status` and `conclusion` are that attempt's. */
  runAttempt: number;
}

/**
 * Where a branch stands now, as `GET /repos/{owner}/{repo}/branches/{branch}` gives it (a branch,
 * never a tag of the same name), whether a commit is in its history
 * (`GET /repos/{owner}/{repo}/compare/{commit}...{tip}`: `identical` or `ahead`), and whether
 * it was once the branch's tip: on its first-parent line, from the commits that comparison lists.
 */
export interface BranchHistoryFacts {
  branch: string;
  tip: string;
  contains: boolean;
  /**
   * The branch itself was at the commit: on its first-parent line, or left there by a push that
   * GitHub's activity record has (`pushedTip`). Null when the commit is too far behind the tip to
   * tell and no such push is on record.
   */
  wasTip: boolean | null;
  /**
   * A push to the branch that left it at the commit, from `GET /repos/{owner}/{repo}/activity`,
   * looked up only when the first-parent line does not show it: a tip that a later merge put on
   * the side (a `git pull` merge pushed as it is) was still the branch's tip once.
   */
  pushedTip?: BranchPushFacts;
}

/** One entry of GitHub's activity record of a branch: who moved it to which commit, and when. */
export interface BranchPushFacts {
  /** `push`, `force_push`, `branch_creation`, `pr_merge` or `merge_queue_merge`. */
  kind: string;
  /** ISO time. */
  at: string;
  /** The actor's login, when GitHub names one. */
  by: string | null;
}

/**
 * An artifact as `GET /repos/{owner}/{repo}/actions/runs/{run_id}/artifacts` lists it. Artifacts
 * are uploaded with the runtime token of a job of that workflow run (GitHub's REST API has no
 * endpoint that creates one), so an artifact in this list was made by that workflow run.
 */
export interface RunArtifactFacts {
  name: string;
  /** `sha256:<hex>`, null for uploads older than upload-artifact v4. */
  digest: string | null;
  expired: boolean;
  /** The workflow run GitHub says uploaded it (`workflow_run.id`), when the answer has it. */
  workflowRunId: number | null;
  /** That workflow run's head commit (`workflow_run.head_sha`). */
  headSha: string | null;
}

/**
 * What an artifact attestation's SLSA provenance says about where it was made. Every field is
 * null when GitHub did not inline the bundle (or its statement could not be read): the
 * attestation exists, but this reader cannot tell which workflow made it.
 */
export interface AttestationFacts {
  /** `owner/repo` of the workflow that signed it. */
  repository: string | null;
  /** `.github/workflows/evaluate.yml`. */
  workflowPath: string | null;
  /** The workflow run id from the provenance's invocation id. */
  workflowRunId: string | null;
  /** The commit the workflow ran on. */
  commit: string | null;
}

export interface DeployEvidence {
  /** null when GitHub answers 404. */
  workflowRun(runId: string): Promise<WorkflowRunFacts | null>;
  /** One attempt of a workflow run (`GET …/actions/runs/{run_id}/attempts/{attempt_number}`); null when GitHub answers 404. */
  workflowRunAttempt(runId: number, attempt: number): Promise<WorkflowRunFacts | null>;
  /** Whether `commit` is in the history of branch `branch` now, and was once its tip; null when there is no such branch. */
  branchHistory(branch: string, commit: string): Promise<BranchHistoryFacts | null>;
  /** The artifacts of a workflow run named `name` (all pages), from that run's own artifacts endpoint. */
  runArtifacts(runId: number, name: string): Promise<RunArtifactFacts[]>;
  /** The attestations GitHub holds for a subject digest (`sha256:<hex>`); null when unavailable (plan, permissions). */
  attestations(digest: string): Promise<AttestationFacts[] | null>;
}

/** `owner/repo/.github/workflows/x.yml@refs/heads/main` or `.github/workflows/x.yml` → `.github/workflows/x.yml`. */
export function normaliseWorkflowPath(path: string): string {
  const withoutRef = path.split('@')[0]!;
  const index = withoutRef.indexOf('.github/workflows/');
  return index === -1 ? withoutRef : withoutRef.slice(index);
}
