import { execFileSync } from 'node:child_process';
import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunSource } from '../../schemas/run-manifest.ts';
import { writeDeploymentRecord } from '../../src/deploy/deployment-record.ts';
import { git, REPOSITORY } from '../action/harness.ts';
import { REPO } from '../docs/labbook-package.ts';
import { startFakeGithub, type FakeGithub } from '../github-api/fake-github.ts';
import { CI_SOURCE, writeRun } from '../helpers/analysis-store.ts';
import { runCli } from '../helpers/run-cli.ts';
import { tempDir } from '../helpers/temp-dir.ts';
import { checkoutAction, loadWorkflow, releasedAction, runWorkflow } from '../helpers/workflow-runner.ts';
import { userRepository } from './init-project.ts';

// The gc workflow `labbook init` writes, run job by job as GitHub's runner would (started by
// hand: the runner emulates workflow_dispatch; the schedule runs the same job), against a bare
// remote whose data branch holds months of history. The recorded event payload's repository
// (GitHub's Hello-World) has `master` as its default branch, so the baselines are CI runs of
// master.

const ciOn = (ref: string): RunSource => ({ ...CI_SOURCE, ref }) as RunSource;
const local: RunSource = { kind: 'local', host: 'laptop', user: 'ada' };

describe('the gc workflow labbook init writes, run as GitHub would run it', () => {
  const root = tempDir('labbook-gc-workflow-');
  const remote = join(root, 'remote.git');
  const project = userRepository(root, 'project');
  let api: FakeGithub;
  let sha = '';
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    api = await startFakeGithub({ repository: REPOSITORY, pulls: { 7: 'closed', 9: 'open' } });
    expect((await runCli(['init', '--experiment', 'demo', '--metric', 'correct:higher'], { cwd: project })).code).toBe(0);
    // The user's policy: one newest run per branch stays, older ones may go after 30 days.
    appendFileSync(join(project, 'labbook.config.yaml'), 'retention:\n  days: 30\n  keepPerBranch: 1\n');
    execFileSync('git', ['init', '-q', '--bare', '-b', 'main', remote]);
    const commit = ['-c', 'user.name=ada', '-c', 'user.email=ada@example.invalid', 'commit', '-qm'];
    git(project, 'add', '.');
    git(project, ...commit, 'labbook init');
    git(project, 'push', '-q', remote, 'main');
    sha = git(project, 'rev-parse', 'HEAD').trim();

    // The data branch: runs of January 2026, pushed as evaluations would have left them.
    const data = join(root, 'data');
    git(root, 'init', '-q', '-b', 'labbook-data', data);
    const dataDir = join(data, 'experiments');
    let variant = 0;
    const add = async (name: string, source: RunSource) => {
      ids[name] = (await writeRun(root, dataDir, { variant: variant++, traces: 3, source })).id;
    };
    await add('baselineOld', ciOn('refs/heads/master'));
    await add('baselineNew', ciOn('refs/heads/master'));
    await add('localOld', local);
    await add('localDeployed', local);
    await add('pull7Old', ciOn('refs/pull/7/merge'));
    await add('pull7New', ciOn('refs/pull/7/merge'));
    await add('pull9Old', ciOn('refs/pull/9/merge'));
    await add('pull9New', ciOn('refs/pull/9/merge'));
    await add('localNew', local);
    await writeDeploymentRecord(dataDir, {
      environment: 'production',
      experiment: 'demo',
      run: ids.localDeployed!,
      commit: 'abc',
      configPath: 'agent.yaml',
      configDigest: `sha256:${'0'.repeat(64)}`,
      actor: 'ada',
      at: '2026-01-05T00:00:00.000Z',
      outcome: 'failure',
      reason: 'a local run',
      checks: [],
    });
    git(data, 'add', 'experiments');
    git(data, ...commit, 'runs');
    git(data, 'push', '-q', remote, 'labbook-data');
  }, 120_000);

  afterAll(async () => {
    await api?.close();
  });

  it(
    'prunes the data branch by the retention policy, keeping deployed runs, baselines and each branch’s newest',
    { timeout: 180_000 },
    async () => {
      const file = join(project, '.github', 'workflows', 'gc.yml');
      const workflow = loadWorkflow(file);
      expect(workflow.on).toMatchObject({ schedule: [{ cron: expect.any(String) }], workflow_dispatch: null });
      const before = git(remote, 'rev-parse', 'labbook-data').trim();
      const jobs = await runWorkflow(workflow, {
        remote,
        root,
        repository: REPOSITORY,
        sha,
        event: 'workflow_dispatch',
        workflowFile: '.github/workflows/gc.yml',
        runId: '5151',
        apiUrl: api.url,
        branch: 'main',
        actions: { 'actions/checkout': checkoutAction(remote), 'labbook-dev/labbook/action': releasedAction(join(REPO, 'action')) },
      });
      const logs = Object.values(jobs)
        .flatMap((job) => job.runs.flatMap((run) => run.steps.map((step) => `${step.label}: ${step.outcome}\n${step.log}`)))
        .join('\n');
      expect(jobs.gc!.result, logs).toBe('success');
      const gone = [ids.localOld, ids.pull7Old];
      const left = git(remote, 'ls-tree', '--name-only', 'labbook-data:experiments/demo/runs').trim().split('\n').sort();
      expect(left).toEqual(
        Object.values(ids)
          .filter((id) => !gone.includes(id))
          .sort(),
      );
      // One commit on top of what was there, and the deployment record untouched.
      expect(git(remote, 'rev-parse', 'labbook-data^').trim()).toBe(before);
      expect(git(remote, 'log', '-1', '--format=%s', 'labbook-data').trim()).toBe('labbook gc: remove 2 runs the retention policy lets go');
      expect(git(remote, 'ls-tree', '-r', '--name-only', 'labbook-data', 'experiments/demo/deployments/')).toMatch(/\.json/);
      expect(jobs.gc!.runs[0]!.summary).toMatch(/Removed 2 runs/);

      // Run again: nothing more to remove, nothing pushed.
      const again = await runWorkflow(workflow, {
        remote,
        root,
        repository: REPOSITORY,
        sha,
        event: 'workflow_dispatch',
        workflowFile: '.github/workflows/gc.yml',
        runId: '5152',
        apiUrl: api.url,
        branch: 'main',
        actions: { 'actions/checkout': checkoutAction(remote), 'labbook-dev/labbook/action': releasedAction(join(REPO, 'action')) },
      });
      expect(again.gc!.result).toBe('success');
      expect(git(remote, 'ls-tree', '--name-only', 'labbook-data:experiments/demo/runs').trim().split('\n').sort()).toEqual(left);
    },
  );
});
