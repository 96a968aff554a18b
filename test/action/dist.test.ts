import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname, join, parse } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/temp-dir.ts';
import { ACTION, createTestRepo, git, ROOT, runAction } from './harness.ts';

describe('action/dist', () => {
  it('is the bundle of the current sources and templates (run "npm run build:action" after a change)', () => {
    const outfile = join(tempDir('labbook-dist-'), 'index.js');
    execFileSync(process.execPath, [join(ROOT, 'scripts', 'build-action.js'), '--outfile', outfile], { cwd: ROOT });
    const fresh = readFileSync(outfile, 'utf8');
    const committed = readFileSync(ACTION, 'utf8');
    // Compare lengths first: a failing toBe on two 2 MB strings prints an unreadable diff.
    expect(committed.length, 'action/dist/index.js is stale: run "npm run build:action"').toBe(fresh.length);
    expect(committed === fresh, 'action/dist/index.js is stale: run "npm run build:action"').toBe(true);
  });

  it('carries every template, so the bundle needs no templates/ folder', () => {
    const bundle = readFileSync(ACTION, 'utf8');
    for (const name of ['job-summary.njk', 'pr-comment.njk', '_run-report.njk', 'deploy-summary.njk'])
      expect(bundle).toContain(JSON.stringify(name));
    expect(bundle).not.toContain('../../templates/');
  });

  it(
    'needs nothing beside it: run from a checkout of the action with no node_modules, it still points at a line in experiment.yaml',
    { timeout: 60_000 },
    async () => {
      // What `uses: owner/labbook@v1` checks out: the repository's files, no installed packages.
      const checkout = tempDir('labbook-action-checkout-');
      const bundle = join(checkout, 'action', 'dist', 'index.js');
      mkdirSync(dirname(bundle), { recursive: true });
      copyFileSync(ACTION, bundle);
      copyFileSync(join(ROOT, 'package.json'), join(checkout, 'package.json'));
      copyFileSync(join(ROOT, 'action', 'action.yml'), join(checkout, 'action', 'action.yml'));
      for (let dir = checkout; dir !== parse(dir).root; dir = dirname(dir)) expect(existsSync(join(dir, 'node_modules')), dir).toBe(false);
      // A problem in experiment.yaml is named with its line: the YAML reader that finds it is
      // loaded only for a problem, and must be in the bundle rather than looked for beside it.
      const repo = await createTestRepo('labbook-action-alone-', { 'experiments/demo/experiment.yaml': 'name: demo\nevaluators: 5\n' });
      const run = await runAction({
        repo,
        bundle,
        inputs: { experiment: 'demo', config: 'configs/baseline.yaml', command: 'true', 'github-token': 'ghs_test_token' },
      });
      const output = `${run.stdout}${run.stderr}`;
      expect(run.code, output).not.toBe(0);
      expect(output).toMatch(/experiment\.yaml:2\b.*evaluators/);
      expect(output).not.toMatch(/Cannot find (module|package)/);
      // Refused before the run existed, as `labbook run` refuses it: nothing was pushed.
      expect(git(repo.remote, 'ls-tree', '-r', '--name-only', 'master')).not.toContain('experiments/demo/runs/');
    },
  );
});
