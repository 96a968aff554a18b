/**
 * What a deployable run must have come from. Everything defaults from the repository's own
 * conventions: the evaluation workflow is `.github/workflows/evaluate.yml`, and only runs of
 * events on the repository's own branches count (not pull requests, whose code is unreviewed).
 */
export interface DeployPolicy {
  /** `owner/repo` of this repository. */
  repository: string;
  /** Path of the evaluation workflow in the repository. */
  workflowPath: string;
  allowedEvents: string[];
  /** Refuse runs without a GitHub artifact attestation (repositories that have them). */
  requireAttestation: boolean;
}

export const DEFAULT_WORKFLOW_PATH = '.github/workflows/evaluate.yml';
export const DEFAULT_ALLOWED_EVENTS = ['push', 'workflow_dispatch', 'schedule', 'merge_group'];

export function deployPolicy(repository: string, overrides: Partial<Omit<DeployPolicy, 'repository'>> = {}): DeployPolicy {
  return {
    repository,
    workflowPath: overrides.workflowPath ?? DEFAULT_WORKFLOW_PATH,
    allowedEvents: overrides.allowedEvents ?? DEFAULT_ALLOWED_EVENTS,
    requireAttestation: overrides.requireAttestation ?? false,
  };
}

/**
 * The context of the commit status the action sets on the evaluated commit; its description
 * is the digest of the run's SHA256SUMS. Deploy finds the status again by this context.
 */
export function runStatusContext(experiment: string, runId: string): string {
  return `labbook/${experiment}/${runId}`;
}
