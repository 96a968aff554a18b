import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeGithub, type FakeGithub } from '../github-api/fake-github.ts';
import { createTestRepo, evalCommand, git, REPOSITORY, runAction, type TestRepo } from './harness.ts';

const PLAN_PATH = 'experiments/demo/plan.yaml';

function commit(repo: TestRepo, files: Record<string, string>, message: string): void {
  for (const [path, text] of Object.entries(files)) writeFileSync(join(repo.workspace, path), text);
  git(repo.workspace, 'add', '.');
  git(repo.workspace, '-c', 'user.name=dev', '-c', 'user.email=dev@example.invalid', 'commit', '-q', '-m', message);
}

/**
 * The bundled action under a committed eval plan (experiments/demo/plan.yaml), against a bare
 * git remote and the recorded GitHub API: the plan's margin decides the gate, the run records
 * the plan's digest, and the PR comment says pass, fail or indeterminate and why, with the
 * plan's flags when it changed after the baseline or asks for more examples than were run.
 */
describe('the action under a committed eval plan', () => {
  let api: FakeGithub;
  beforeAll(async () => {
    api = await startFakeGithub({ repository: REPOSITORY, pagesUrl: 'https://codertocat.github.io/Hello-World/' });
  });
  afterAll(async () => {
    await api.close();
  });

  it(
    'answers indeterminate, pass and fail with the reason, and flags a plan changed after the baseline',
    { timeout: 240_000 },
    async () => {
      const repo = await createTestRepo('labbook-plan-gate-', {
        'experiments/demo/experiment.yaml': 'name: demo\nmetrics:\n  - name: correct\n    kind: boolean\n    margin: 0.5\n',
        [PLAN_PATH]: 'description: fixed before the first run\nmetrics:\n  - name: correct\n    margin: 0.05\n',
      });
      const inputs = (extra: Record<string, string> = {}) => ({
        experiment: 'demo',
        config: 'configs/baseline.yaml',
        command: evalCommand('EVAL_EXAMPLES=120'),
        'github-token': 'ghs_test_token',
        'data-branch': 'labbook-data',
        ...extra,
      });
      const prComment = () => {
        const all = [...api.comments.values()].flat();
        return all[all.length - 1]?.body ?? '';
      };
      const first = await runAction({ repo, node: process.execPath, apiUrl: api.url, inputs: inputs() });
      expect(first.code, first.stderr).toBe(0);
      // The run recorded the committed plan: run.json's digest and the plan's text in the run.
      git(repo.workspace, 'fetch', '-q', 'origin', 'labbook-data');
      const runJson = git(repo.workspace, 'show', `origin/labbook-data:experiments/demo/runs/${first.outputs['run-id']}/run.json`);
      const recorded = JSON.parse(runJson).plan;
      expect(recorded).toMatchObject({ path: PLAN_PATH, committed: true });
      expect(recorded.digest).toMatch(/^sha256:[0-9a-f]{64}$/);
      expect(git(repo.workspace, 'show', `origin/labbook-data:experiments/demo/runs/${first.outputs['run-id']}/plan.yaml`)).toBe(
        git(repo.workspace, 'show', `HEAD:${PLAN_PATH}`),
      );

      // Slightly worse (4 of 120 answers flip to wrong): not a significant regression, but the
      // interval reaches past −5 pp, so the plan's margin cannot be shown (experiment.yaml's 0.5 would pass).
      commit(repo, { 'configs/baseline.yaml': 'model: sim-1\nparams:\n  accuracy: 0.77\n' }, 'a cheaper model');
      const unsure = await runAction({
        repo,
        node: process.execPath,
        apiUrl: api.url,
        event: 'pull_request',
        inputs: inputs({ gate: 'non-inferiority' }),
      });
      expect(unsure.code).toBe(1);
      expect(unsure.summary).toContain(
        '**Gate (non-inferiority, enforced): ❔ indeterminate: the sample cannot tell for 1 of 1 metric with a margin**',
      );
      expect(unsure.summary).toMatch(
        /- ❔ correct: indeterminate, margin 5\.0 pp \(from the plan\): the 95% CI of the change \[-\d+\.\d pp, -?\d+\.\d pp\] straddles -5\.0 pp: 120 paired examples cannot tell; about \d+ would be needed/,
      );
      expect(unsure.summary).toMatch(
        /\*\*Eval plan\*\*: experiments\/demo\/plan\.yaml \([0-9a-f]{12}, from \S+\) · α 0\.05 · correct: margin 0\.05 · the baseline ran under the same plan/,
      );
      expect(unsure.stdout).toMatch(/::error::.*non-inferiority not shown against .*gate indeterminate/s);
      expect(prComment()).toContain('❔ correct: indeterminate, margin 5.0 pp (from the plan)');

      // The plan is loosened in the pull request and asks for more examples than were run: the
      // gate passes under the new margin, and the comment flags both.
      commit(repo, { [PLAN_PATH]: 'sampleSize: 500\nmetrics:\n  - name: correct\n    margin: 0.1\n' }, 'a looser plan');
      const loosened = await runAction({
        repo,
        node: process.execPath,
        apiUrl: api.url,
        event: 'pull_request',
        inputs: inputs({ gate: 'non-inferiority' }),
      });
      expect(loosened.code, loosened.stdout).toBe(0);
      expect(loosened.summary).toMatch(
        /- ✅ correct: pass, margin 10\.0 pp \(from the plan\): the 95% CI of the change \[.*\] lies above -10\.0 pp/,
      );
      expect(loosened.summary).toMatch(
        /- ⚠️ the plan changed after the baseline: \S+ ran under plan [0-9a-f]{12}, \S+ under [0-9a-f]{12} \(experiments\/demo\/plan\.yaml\)/,
      );
      expect(loosened.summary).toContain(
        '- ⚠️ correct: 120 paired examples, below what the plan needs: the plan asks for a sample size of 500',
      );
      expect(loosened.stdout).toMatch(/::warning::eval plan: the plan changed after the baseline/);
      const comment = prComment();
      expect(comment).toContain('**Gate (non-inferiority, enforced): ✅ pass');
      expect(comment).toContain('⚠️ the plan changed after the baseline');

      // Much worse: a significant regression fails the gate whatever the margin.
      commit(repo, { 'configs/baseline.yaml': 'model: sim-1\nparams:\n  accuracy: 0.6\n' }, 'a much worse model');
      const worse = await runAction({
        repo,
        node: process.execPath,
        apiUrl: api.url,
        event: 'pull_request',
        inputs: inputs({ gate: 'non-inferiority' }),
      });
      expect(worse.code).toBe(1);
      expect(worse.summary).toContain('**Gate (non-inferiority, enforced): ❌ fail: 1 of 1 metric with a margin is worse than allowed**');
      expect(worse.summary).toMatch(
        /- ❌ correct: fail, margin 10\.0 pp \(from the plan\): (the 95% CI of the change \[.*\] lies below -10\.0 pp|a significant regression)/,
      );
      expect(prComment()).toContain('❌ correct: fail');
    },
  );
});
