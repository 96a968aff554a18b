/** The facts deploy needs from GitHub's REST API, whatever client fetches them. */
export interface WorkflowRunFacts {
  id: number;
  headSha: string;
  /** `.github/workflows/evaluate.yml`, normalised from `path` (which may carry `owner/repo/…@ref`). */
  path: string;
  event: string;
  status: string | null;
  conclusion: string | null;
  repository: string;
  headRepository: string | null;
  runStartedAt: string | null;
  updatedAt: string | null;
}

export interface CommitStatusFacts {
  context: string;
  state: string;
  description: string | null;
  targetUrl: string | null;
  creatorLogin: string | null;
  creatorType: string | null;
  createdAt: string;
}

export interface DeployEvidence {
  /** null when GitHub answers 404. */
  workflowRun(runId: string): Promise<WorkflowRunFacts | null>;
  /** Every status of a commit (all pages). */
  commitStatuses(sha: string): Promise<CommitStatusFacts[]>;
  /** How many attestations GitHub holds for a subject digest (`sha256:<hex>`); null when unavailable. */
  attestationCount(digest: string): Promise<number | null>;
}

/** `owner/repo/.github/workflows/x.yml@refs/heads/main` or `.github/workflows/x.yml` → `.github/workflows/x.yml`. */
export function normaliseWorkflowPath(path: string): string {
  const withoutRef = path.split('@')[0]!;
  const index = withoutRef.indexOf('.github/workflows/');
  return index === -1 ? withoutRef : withoutRef.slice(index);
}
