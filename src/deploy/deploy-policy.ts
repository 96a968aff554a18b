/**
 * What a deployable run must have come from. Everything defaults from the repository's own
 * conventions: the evaluation workflow is `.github/workflows/evaluate.yml`, only runs of events
 * on the repository's own branches count (not pull requests, whose code is unreviewed), and
 * only runs on the default branch (whose workflow file is the reviewed one, when the branch is
 * protected), or on its merge queue.
 */
export interface DeployPolicy {
  /** `owner/repo` of this repository. */
  repository: string;
  /** Path of the evaluation workflow in the repository. */
  workflowPath: string;
  allowedEvents: string[];
  /**
   * Branch names or `*` patterns (`gh-readonly-queue/main/*`) the workflow run must have run on;
   * null allows any branch. The workflow file that ran is the one at the run's commit: on an
   * unreviewed branch it can be anything, so this is what ties a run to reviewed code.
   */
  allowedBranches: string[] | null;
  /** Refuse runs without a GitHub artifact attestation (repositories that have them). */
  requireAttestation: boolean;
  /**
   * Take runs labelled `simulated` (made with LABBOOK_SIMULATED_CI against a stand-in for
   * GitHub). Only a deploy that is itself simulated sets it: against GitHub such a run's workflow
   * run id names nothing it made.
   */
  allowSimulated: boolean;
}

export const DEFAULT_WORKFLOW_PATH = '.github/workflows/evaluate.yml';
export const DEFAULT_ALLOWED_EVENTS = ['push', 'workflow_dispatch', 'schedule', 'merge_group'];

export function deployPolicy(repository: string, overrides: Partial<Omit<DeployPolicy, 'repository'>> = {}): DeployPolicy {
  return {
    repository,
    workflowPath: overrides.workflowPath ?? DEFAULT_WORKFLOW_PATH,
    allowedEvents: overrides.allowedEvents ?? DEFAULT_ALLOWED_EVENTS,
    allowedBranches: overrides.allowedBranches === undefined ? null : overrides.allowedBranches,
    requireAttestation: overrides.requireAttestation ?? false,
    allowSimulated: overrides.allowSimulated ?? false,
  };
}

/** The default branch and the branches its merge queue runs on. */
export function defaultBranchPatterns(defaultBranch: string): string[] {
  return [defaultBranch, `gh-readonly-queue/${defaultBranch}/*`];
}

/**
 * Reads an `allowed-branches` list (commas or new lines): `*` alone allows any branch (null).
 * Returns undefined for an empty list, so the caller's default applies.
 */
export function parseBranchList(text: string): string[] | null | undefined {
  const branches = [...new Set(text.split(/[\s,]+/).filter(Boolean))];
  if (branches.length === 0) return undefined;
  return branches.includes('*') ? null : branches;
}

/** Whether `branch` matches a name or a pattern whose `*` stands for any characters (slashes too). */
export function branchAllowed(branch: string, patterns: readonly string[]): boolean {
  return patterns.some((pattern) =>
    new RegExp(
      `^${pattern
        .split('*')
        .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
        .join('.*')}$`,
    ).test(branch),
  );
}
