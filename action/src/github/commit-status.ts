import type { Octokit } from '../octokit.ts';

export interface RunDigestStatus {
  owner: string;
  repo: string;
  /** The evaluated commit. */
  sha: string;
  experiment: string;
  runId: string;
  /** `sha256:<hex>` of the run's SHA256SUMS file. */
  sumsDigest: string;
  targetUrl?: string;
}

/**
 * Records the digest of a run's `SHA256SUMS` as a commit status on the evaluated commit
 * (context `labbook/<experiment>/<run-id>`). Made with the job's token, it is attributed to
 * GitHub Actions, which a committer cannot forge: deploy later checks the run's files against it.
 */
export async function recordRunDigest(octokit: Octokit, status: RunDigestStatus): Promise<void> {
  await octokit.rest.repos.createCommitStatus({
    owner: status.owner,
    repo: status.repo,
    sha: status.sha,
    state: 'success',
    context: `labbook/${status.experiment}/${status.runId}`,
    description: status.sumsDigest,
    ...(status.targetUrl ? { target_url: status.targetUrl } : {}),
  });
}
