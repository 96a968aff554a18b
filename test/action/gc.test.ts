import { mkdtemp } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunSource } from '../../schemas/run-manifest.ts';
import { CI_SOURCE, writeRun } from '../helpers/analysis-store.ts';
import { startFakeGithub, type FakeGithub } from '../github-api/fake-github.ts';
import { createTestRepo, evalCommand, git, REPOSITORY, runAction, type TestRepo } from './harness.ts';

const pullRun = (n: number): RunSource => ({ ...CI_SOURCE, ref: `refs/pull/${n}/merge` }) as RunSource;
const local: RunSource = { kind: 'local', host: 'laptop', user: 'ada' };

let api: FakeGithub;
beforeAll(async () => {
  api = await startFakeGithub({ repository: REPOSITORY, pulls: { 7: 'closed', 9: 'open' } });
});
afterAll(() => api.close());

/** A data branch with one fresh CI run and months-old local and pull-request runs pushed beside it. */
async function dataBranchWithHistory(): Promise<{ repo: TestRepo; ci: string; old: Record<string, string> }> {
  const repo = await createTestRepo('labbook-gc-', { 'labbook.config.yaml': 'retention:\n  days: 30\n  keepPerBranch: 1\n' });
  const evaluated = await runAction({
    repo,
    inputs: { experiment: 'demo', config: 'configs/baseline.yaml', command: evalCommand(), 'data-branch': 'labbook-data' },
  });
  expect(evaluated.code, evaluated.stdout).toBe(0);
  const clone = await mkdtemp(join(repo.root, 'history-'));
  git(repo.root, 'clone', '-q', '--branch', 'labbook-data', repo.remote, clone);
  const data = join(clone, 'experiments');
  let variant = 0;
  const add = async (source: RunSource) => (await writeRun(clone, data, { variant: variant++, traces: 4, source })).id;
  const old = {
    localOld: await add(local),
    localNewer: await add(local),
    pull7Old: await add(pullRun(7)),
    pull7Newer: await add(pullRun(7)),
    pull9Old: await add(pullRun(9)),
    pull9Newer: await add(pullRun(9)),
  };
  git(clone, 'add', 'experiments'); // only the data: writeRun's config files stay out
  git(clone, '-c', 'user.name=ada', '-c', 'user.email=ada@example.invalid', 'commit', '-qm', 'older runs');
  git(clone, 'push', '-q', 'origin', 'labbook-data');
  return { repo, ci: evaluated.outputs['run-id']!, old };
}

const runsOnBranch = (repo: TestRepo) =>
  git(repo.remote, 'ls-tree', '--name-only', 'labbook-data:experiments/demo/runs').trim().split('\n');

describe('the action in gc mode', () => {
  it('is a dry run by default: the summary lists what would go and why, and nothing is pushed', async () => {
    const { repo, old } = await dataBranchWithHistory();
    const tip = git(repo.remote, 'rev-parse', 'labbook-data').trim();
    const run = await runAction({ repo, apiUrl: api.url, inputs: { mode: 'gc', 'data-branch': 'labbook-data', 'github-token': 'ghs_gc' } });
    expect(run.stderr).toBe('');
    expect(run.code, run.stdout).toBe(0);
    expect(
      JSON.parse(run.outputs.removed!)
        .map((r: { run: string }) => r.run)
        .sort(),
    ).toEqual([old.localOld, old.pull7Old].sort());
    expect(run.outputs.pushed).toBe('false');
    expect(git(repo.remote, 'rev-parse', 'labbook-data').trim()).toBe(tip);
    expect(run.summary).toContain('2 runs would be removed (a dry run: set apply: true to remove them)');
    expect(run.summary).toContain(`\`demo/${old.pull7Old}\``);
    expect(run.summary).toMatch(/a run of closed pull request #7, older than 30 days/);
    expect(run.summary).toMatch(
      /\*\*Data branch `labbook-data`:\*\* [\d.]+ (?:KiB|MiB) in \d+ files; largest file demo\/runs\/.+ \([\d.]+ (?:bytes|KiB|MiB)\)/,
    );
    expect(
      api.requests
        .filter((r) => /\/pulls\/\d+$/.test(r.path))
        .map((r) => r.path)
        .sort(),
    ).toEqual([`/repos/${REPOSITORY}/pulls/7`, `/repos/${REPOSITORY}/pulls/9`]);
  });

  it('with apply: true removes exactly those runs in one pushed commit; deployable and default-branch runs stay', async () => {
    const { repo, ci, old } = await dataBranchWithHistory();
    const run = await runAction({
      repo,
      apiUrl: api.url,
      inputs: { mode: 'gc', apply: 'true', 'data-branch': 'labbook-data', 'github-token': 'ghs_gc' },
    });
    expect(run.code, run.stdout).toBe(0);
    expect(run.outputs.pushed).toBe('true');
    expect(git(repo.remote, 'rev-parse', 'labbook-data').trim()).toBe(run.outputs['data-commit']);
    const left = runsOnBranch(repo);
    expect(left).toContain(ci);
    for (const [name, id] of Object.entries(old)) expect(left.includes(id), name).toBe(![old.localOld, old.pull7Old].includes(id));
    expect(git(repo.remote, 'log', '-1', '--format=%s', 'labbook-data').trim()).toBe(
      'labbook gc: remove 2 runs the retention policy lets go',
    );
    expect(run.summary).toMatch(/Removed 2 runs \([\d.]+ (?:KiB|MiB)\); 5 kept\./);
    expect(Number(run.outputs['data-bytes'])).toBeGreaterThan(0);
  });

  it('without a token keeps every pull request run, and refuses inputs of other modes', async () => {
    const { repo, old } = await dataBranchWithHistory();
    const run = await runAction({ repo, apiUrl: api.url, inputs: { mode: 'gc', 'data-branch': 'labbook-data', 'github-token': '' } });
    expect(run.code, run.stdout).toBe(0);
    expect(JSON.parse(run.outputs.removed!).map((r: { run: string }) => r.run)).toEqual([old.localOld]);
    expect(run.stdout).toContain('no github-token: the runs of 2 pull requests are kept');
    const refused = await runAction({ repo, inputs: { mode: 'gc', experiment: 'demo', 'data-branch': 'labbook-data' } });
    expect(refused.code).toBe(1);
    expect(refused.stdout).toMatch(/::error::.*experiment.*is not used in gc mode/);
  });
});
