import { openDataFolder } from '../store/handles.ts';
import { runBranch } from './plan-gc.ts';
import { errorMessage } from '../errors/error-message.ts';

/** The one request gc makes of GitHub; both the action's client and the CLI's have it. */
export interface PullRequestClient {
  request(
    route: 'GET /repos/{owner}/{repo}/pulls/{pull_number}',
    params: { owner: string; repo: string; pull_number: number },
  ): Promise<{ data: { state: string } }>;
}

/** The pull requests the data folder has runs of, by number. */
export async function pullNumbersOf(dataDir: string): Promise<number[]> {
  const numbers = new Set<number>();
  for (const run of await openDataFolder(dataDir).runs({ onError: () => {} })) {
    const pull = runBranch(run.manifest).pull;
    if (pull !== null) numbers.add(pull);
  }
  return [...numbers].sort((a, b) => a - b);
}

/**
 * Asks GitHub whether each pull request is open or closed. One GitHub cannot answer for stays
 * unknown (its runs are kept), and `onWarn` says which and why: gc never guesses "closed".
 */
export async function askPullStates(
  client: PullRequestClient,
  repository: string,
  numbers: number[],
  onWarn: (message: string) => void,
): Promise<Map<number, 'open' | 'closed'>> {
  const [owner, repo] = repository.split('/') as [string, string];
  const states = new Map<number, 'open' | 'closed'>();
  for (const pull of numbers) {
    try {
      const { data } = await client.request('GET /repos/{owner}/{repo}/pulls/{pull_number}', { owner, repo, pull_number: pull });
      states.set(pull, data.state === 'closed' ? 'closed' : 'open');
    } catch (error) {
      onWarn(`pull request #${pull}: GitHub did not say whether it is closed (${errorMessage(error)}); its runs are kept`);
    }
  }
  return states;
}
