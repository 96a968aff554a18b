import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeGithub, type FakeGithub } from '../github-api/fake-github.ts';
import { createTestRepo, evalCommand, REPOSITORY, runAction } from './harness.ts';

/**
 * The bundled action's `gate: non-inferiority`, against a bare git remote and the fake GitHub:
 * the experiment.yaml committed with the agent gives `correct` a margin.
 */
describe('the action with gate: non-inferiority', () => {
  let api: FakeGithub;
  beforeAll(async () => {
    api = await startFakeGithub({ repository: REPOSITORY, pagesUrl: 'https://codertocat.github.io/Hello-World/' });
  });
  afterAll(async () => {
    await api.close();
  });

  it('passes an unchanged agent, fails a worse one, and says which and why', { timeout: 120_000 }, async () => {
    const repo = await createTestRepo('labbook-gate-', {
      'experiments/demo/experiment.yaml': 'name: demo\nmetrics:\n  - name: correct\n    kind: boolean\n    margin: 0.02\n',
    });
    const inputs = (extra: Record<string, string> = {}) => ({
      experiment: 'demo',
      config: 'configs/baseline.yaml',
      command: evalCommand('EVAL_EXAMPLES=120'),
      'github-token': 'ghs_test_token',
      'data-branch': 'labbook-data',
      ...extra,
    });
    const first = await runAction({ repo, node: process.execPath, apiUrl: api.url, inputs: inputs() });
    expect(first.code).toBe(0);

    const same = await runAction({
      repo,
      node: process.execPath,
      apiUrl: api.url,
      event: 'pull_request',
      inputs: inputs({ gate: 'non-inferiority' }),
    });
    expect(same.code).toBe(0);
    expect(same.summary).toContain('**Non-inferiority**');
    expect(same.summary).toContain(
      '**Gate (non-inferiority, enforced): ✅ pass: the metric with a margin is no worse than the baseline by more than the margin**',
    );
    expect(same.summary).toMatch(/- ✅ correct: pass, margin 2\.0 pp: the 95% CI of the change \[0\.0 pp, 0\.0 pp\] lies above -2\.0 pp/);

    writeFileSync(join(repo.workspace, 'configs/baseline.yaml'), 'model: sim-1\nparams:\n  accuracy: 0.7\n');
    const worse = await runAction({
      repo,
      node: process.execPath,
      apiUrl: api.url,
      event: 'pull_request',
      inputs: inputs({ gate: 'non-inferiority' }),
    });
    expect(worse.code).toBe(1);
    expect(worse.outputs).toMatchObject({ pushed: 'true' });
    expect(worse.stdout).toMatch(/::error::.*non-inferiority not shown against .*correct: fail, margin 2\.0 pp: /s);
    expect(worse.summary).toMatch(
      /- ❌ correct: fail, margin 2\.0 pp: (the 95% CI of the change \[.*\] lies below -2\.0 pp|a significant regression)/,
    );
  });
});
