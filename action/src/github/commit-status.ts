import { runStatusContext } from '../../../src/deploy/deploy-policy.ts';
import type { Octokit } from '../octokit.ts';

export interface RunDigestStatus {
  owner: string;
  repo: string;
  /** The commit the run names as its code (`code.commit`): the one deploy checks it on. */
  sha: string;
  experiment: string;
  runId: string;
  /** `runContentDigest`: `sha256:<hex>` of the run's SHA256SUMS file. */
  sumsDigest: string;
  targetUrl?: string;
}

/**
 * Records the digest of a run's `SHA256SUMS` as a commit status on the run's commit (context
 * `labbook/<experiment>/<run-id>`, `runStatusContext`). Made with the job's token, it is
 * attributed to `github-actions[bot]`, which a committer's own token cannot forge: deploy later
 * checks the run's files against it (src/deploy/eligibility.ts, `judgeStatus`).
 */
export async function recordRunDigest(octokit: Octokit, status: RunDigestStatus): Promise<void> {
  await octokit.rest.repos.createCommitStatus({
    owner: status.owner,
    repo: status.repo,
    sha: status.sha,
    state: 'success',
    context: runStatusContext(status.experiment, status.runId),
    description: status.sumsDigest,
    ...(status.targetUrl ? { target_url: status.targetUrl } : {}),
  });
}
