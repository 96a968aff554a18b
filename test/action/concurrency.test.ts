import { describe, expect, it } from 'vitest';
import { createTestRepo, evalCommand, git, runAction, type TestRepo } from './harness.ts';

const WRITERS = 8;
const CONFIGS = ['baseline', 'worse', 'better'];

describe('eight evaluations pushing to one remote at once', () => {
  it('all arrive, history stays linear, and each commit changes nothing but its own run', { timeout: 180_000 }, async () => {
    const repo = await createTestRepo();
    // Each job has its own checkout, as matrix jobs on separate runners do.
    const workspaces: TestRepo[] = [];
    for (let i = 0; i < WRITERS; i++) {
      const workspace = `${repo.root}/workspace-${i}`;
      git(repo.root, 'clone', '-q', repo.remote, workspace);
      workspaces.push({ ...repo, workspace });
    }
    const runs = await Promise.all(
      workspaces.map((workspace, i) =>
        runAction({
          repo: workspace,
          job: `evaluate-${i}`,
          inputs: { experiment: 'demo', config: `configs/${CONFIGS[i % CONFIGS.length]}.yaml`, command: evalCommand() },
        }),
      ),
    );
    for (const run of runs) {
      expect(run.stderr).toBe('');
      expect(run.code).toBe(0);
      expect(run.outputs.pushed).toBe('true');
    }
    const ids = runs.map((r) => r.outputs['run-id']!);
    expect(new Set(ids).size).toBe(WRITERS);

    const commits = git(repo.remote, 'rev-list', `${repo.sha}..master`).trim().split('\n');
    expect(commits).toHaveLength(WRITERS);
    expect(git(repo.remote, 'rev-list', '--merges', 'master').trim()).toBe('');
    expect(git(repo.remote, 'rev-list', '--first-parent', 'master').trim().split('\n')).toHaveLength(WRITERS + 1);

    let experimentYamlAdded = 0;
    for (const commit of commits) {
      const changed = git(repo.remote, 'diff-tree', '--no-commit-id', '--name-status', '-r', commit).trim().split('\n');
      const id = /labbook: demo\/(\S+)/.exec(git(repo.remote, 'log', '-1', '--format=%s', commit))![1]!;
      for (const line of changed) {
        const [status, file] = line.split('\t');
        expect(status, `${commit} ${line}`).toBe('A'); // only additions: nothing rewritten
        if (file === 'experiments/demo/experiment.yaml') experimentYamlAdded++;
        else expect(file!.startsWith(`experiments/demo/runs/${id}/`), `${commit} touched ${file}`).toBe(true);
      }
    }
    expect(experimentYamlAdded).toBe(1);
    expect(git(repo.remote, 'ls-tree', '--name-only', 'master:experiments/demo/runs').trim().split('\n')).toEqual([...ids].sort());
    expect(git(repo.remote, 'diff', '--name-only', repo.sha, 'master', '--', '.', ':!experiments').trim()).toBe('');
  });
});
