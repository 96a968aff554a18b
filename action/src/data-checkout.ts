import { mkdtemp } from 'node:fs/promises';
import { join } from 'node:path';
import { DataBranch } from '../../src/git/data-branch.ts';
import { runGit } from '../../src/git/run-git.ts';
import type { GithubContext } from './github-context.ts';
import { InputError } from './input-error.ts';

/** The identity GitHub shows for commits made by workflows with the job's token. */
const ACTIONS_BOT = { name: 'github-actions[bot]', email: '41898282+github-actions[bot]@users.noreply.github.com' };

/** The branch a run is pushed to: the `data-branch` input, else the branch the job runs for. */
export function dataBranchName(context: GithubContext, input: string | undefined): string {
  const branch = input ?? context.currentBranch;
  if (!branch) {
    throw new InputError(
      'data-branch',
      undefined,
      `the job runs for ${context.ref || 'no branch'}, which is not a branch; name the branch to push runs to`,
    );
  }
  return branch;
}

/**
 * Opens a fresh checkout of the data branch in the runner's temp folder. The remote is the
 * workspace's `origin` (what actions/checkout cloned), else the repository on the server; the
 * token is sent only to the server's own URLs.
 */
export async function openDataCheckout(context: GithubContext, branch: string, token: string | undefined): Promise<DataBranch> {
  const origin = await runGit(['remote', 'get-url', 'origin'], { cwd: context.workspace, okExitCodes: [1, 2, 128] }).catch(() => null);
  const remoteUrl =
    origin?.exitCode === 0 && origin.stdout.trim() ? origin.stdout.trim() : `${context.serverUrl}/${context.repository.fullName}.git`;
  const urlPrefix = `${context.serverUrl}/`;
  return DataBranch.open({
    remoteUrl,
    branch,
    dir: await mkdtemp(join(context.tempDir, 'labbook-data-')),
    auth: token && remoteUrl.startsWith(urlPrefix) ? { urlPrefix, token } : undefined,
    committer: ACTIONS_BOT,
  });
}
