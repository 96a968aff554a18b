import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initFiles } from '../../src/init/init-files.ts';
import { TOOL_VERSION } from '../../src/store/version.ts';
import { startFakeGithub, type FakeGithub } from '../github-api/fake-github.ts';
import { createTestRepo, git, runAction } from '../action/harness.ts';
import { tracesOnRef } from '../helpers/run-traces.ts';

/**
 * The action's evaluate mode in a repository as `labbook init` leaves it, pushing to a data
 * branch that does not exist yet: the experiment's definition (its metrics) comes from the
 * user's repository and arrives on the new branch with the first run.
 */
describe('the action in a repository set up by labbook init', () => {
  let api: FakeGithub;
  beforeAll(async () => {
    api = await startFakeGithub({ repository: 'Codertocat/Hello-World' });
  });
  afterAll(async () => {
    await api.close();
  });

  it("evaluates eval.py on a fresh data branch and carries the repository's experiment.yaml there", { timeout: 60_000 }, async () => {
    const files = initFiles({
      experiment: 'qa',
      metrics: [
        { name: 'correct', direction: 'higher', kind: 'boolean' },
        { name: 'length', direction: 'lower', kind: 'number' },
      ],
      lang: 'js',
      dataPath: 'experiments',
      dataBranch: 'labbook-data',
      defaultBranch: 'master',
      actionRepo: 'labbook-dev/labbook',
      actionRef: `v${TOOL_VERSION}`,
      version: TOOL_VERSION,
    });
    const repo = await createTestRepo('labbook-init-action-', Object.fromEntries(files.map((f) => [f.path, f.text])));
    const run = await runAction({
      repo,
      apiUrl: api.url,
      inputs: {
        experiment: 'qa',
        config: 'agent.yaml',
        dataset: 'data.jsonl',
        command: 'python3 eval.py',
        'data-branch': 'labbook-data',
        'github-token': 'ghs_test',
      },
    });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.outputs).toMatchObject({ status: 'completed', pushed: 'true' });
    const experimentYaml = files.find((f) => f.path === 'experiments/qa/experiment.yaml')!.text;
    expect(git(repo.remote, 'show', 'labbook-data:experiments/qa/experiment.yaml')).toBe(experimentYaml);
    const traces = tracesOnRef(repo.remote, 'labbook-data', `experiments/qa/runs/${run.outputs['run-id']}`).trim().split('\n');
    expect(traces).toHaveLength(5);
    const metrics = JSON.parse(git(repo.remote, 'show', `labbook-data:experiments/qa/runs/${run.outputs['run-id']}/metrics.json`)) as {
      scores: Record<string, { count: number; mean: number }>;
    };
    expect(Object.keys(metrics.scores).sort()).toEqual(['correct', 'length']);
    expect(metrics.scores.correct).toMatchObject({ count: 5, mean: 0.4 });
  });
});
