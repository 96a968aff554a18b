import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import yaml from 'js-yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeGithub, type FakeGithub } from '../github-api/fake-github.ts';
import { uploadArtifactStep } from '../github-api/upload-artifact-step.ts';
import { git, REPOSITORY } from '../action/harness.ts';
import { REPO } from '../docs/labbook-package.ts';
import { runCli } from '../helpers/run-cli.ts';
import { tempDir } from '../helpers/temp-dir.ts';
import { bundledAction, checkoutAction, loadWorkflow, noopAction, runWorkflow, type ActionHandler } from '../helpers/workflow-runner.ts';

/**
 * The evaluate workflow `labbook init` writes, run job by job as a runner would (test/helpers/
 * workflow-runner.ts) in a project made by `labbook init`: its `npm ci` installs labbook from the
 * project's lock file (a `file:` link to this checkout, until the package is published), the
 * released action's place is taken by this checkout's bundle, GitHub's REST API by the fake.
 * Two shards of eval.mjs, then the merge job, onto a data branch that does not exist yet.
 */
const root = tempDir('labbook-init-workflow-');
const remote = join(root, 'remote.git');
const RUN_ID = 4242;
let api: FakeGithub;
let sha = '';

/** The action with action.yml's defaults filled in, as the runner does before it starts the bundle. */
function releasedAction(): ActionHandler {
  const bundle = bundledAction(join(REPO, 'action', 'dist', 'index.js'));
  const inputs = (yaml.load(readFileSync(join(REPO, 'action', 'action.yml'), 'utf8')) as { inputs: Record<string, { default?: string }> }).inputs;
  return (call) => {
    const withDefaults = { ...call.with };
    for (const [name, input] of Object.entries(inputs)) {
      if (withDefaults[name] === undefined && input.default !== undefined) withDefaults[name] = input.default.replace('${{ github.token }}', 'ghs_test-token');
    }
    return bundle({ ...call, with: withDefaults });
  };
}

/** upload-artifact: the evidence file (archive: false) becomes an artifact of this workflow run in the fake API. */
const uploadArtifact: ActionHandler = async (call) => {
  if (call.with.archive === 'false') {
    uploadArtifactStep(api, RUN_ID, call.with.path!);
    return { code: 0, log: `uploaded ${call.with.path}` };
  }
  return { code: 0, log: `kept ${call.with.path}` };
};

beforeAll(async () => {
  api = await startFakeGithub({ repository: REPOSITORY });
  execFileSync('git', ['init', '-q', '--bare', '-b', 'main', remote]);
  // At the depth of the runner's workspaces (root/jobs/<job>/workspace), so the lock file's
  // relative link to this checkout resolves there too.
  const project = join(root, 'jobs', 'seed', 'project');
  mkdirSync(project, { recursive: true });
  execFileSync('git', ['init', '-q', '-b', 'main', project]);
  const init = await runCli(['init', '--experiment', 'qa'], { cwd: project });
  expect(init.code, init.stderr).toBe(0);
  writeFileSync(join(project, 'package.json'), `${JSON.stringify({ name: 'my-agent', private: true, type: 'module', devDependencies: { labbook: `file:${REPO}` } }, null, 2)}\n`);
  execFileSync('npm', ['install', '--package-lock-only', '--offline', '--no-audit', '--no-fund'], { cwd: project, stdio: 'ignore' });
  git(project, 'add', '.');
  git(project, '-c', 'user.name=dev', '-c', 'user.email=dev@example.invalid', 'commit', '-q', '-m', 'labbook init');
  git(project, 'push', '-q', remote, 'main');
  sha = git(project, 'rev-parse', 'HEAD').trim();
  api.addWorkflowRun({ id: RUN_ID, headSha: sha });
}, 120_000);

afterAll(async () => {
  await api.close();
});

describe('the evaluate workflow labbook init writes', () => {
  it('runs two shards of eval.mjs and merges them into one run on a new data branch', { timeout: 240_000 }, async () => {
    const workflow = loadWorkflow(join(root, 'jobs', 'seed', 'project', '.github', 'workflows', 'evaluate.yml'));
    const jobs = await runWorkflow(workflow, {
      remote,
      root,
      repository: REPOSITORY,
      sha,
      event: 'push',
      workflowFile: '.github/workflows/evaluate.yml',
      runId: String(RUN_ID),
      apiUrl: api.url,
      branch: 'main',
      // The package's exports are TypeScript sources until it is built: plain `node eval.mjs`
      // loads labbook/sdk through tsx's loader.
      env: { NODE_OPTIONS: `--import=${pathToFileURL(join(REPO, 'node_modules', 'tsx', 'dist', 'esm', 'index.mjs')).href}` },
      actions: {
        'actions/checkout': checkoutAction(remote),
        'actions/setup-node': noopAction,
        'labbook-dev/labbook/action': releasedAction(),
        'actions/upload-artifact': uploadArtifact,
      },
    });
    const logs = Object.values(jobs).flatMap((job) => job.runs.flatMap((run) => run.steps.map((step) => `${step.label}: ${step.outcome}\n${step.log}`))).join('\n');
    expect(jobs.evaluate!.result, logs).toBe('success');
    expect(jobs.evaluate!.runs).toHaveLength(2);
    expect(jobs.merge!.result, logs).toBe('success');

    for (const run of jobs.evaluate!.runs) {
      expect(run.steps.map((s) => `${s.label}: ${s.outcome}`)).toContain('Install dependencies: success');
      expect(run.steps.find((s) => s.label === 'labbook')!.log).toMatch(/evaluated \d examples/);
    }
    const merged = jobs.merge!.runs[0]!.steps.find((s) => s.label === 'labbook')!;
    expect(merged.log).not.toContain('::warning::');
    const runs = git(remote, 'ls-tree', '--name-only', 'labbook-data:experiments/qa/runs').trim().split('\n');
    expect(runs).toHaveLength(3); // two shards and the merged run
    const manifests = runs.map((id) => JSON.parse(git(remote, 'show', `labbook-data:experiments/qa/runs/${id}/run.json`)) as { id: string; counts: { traces: number }; shard?: unknown; status: string });
    const whole = manifests.filter((m) => !m.shard);
    expect(whole, JSON.stringify(manifests.map((m) => m.id))).toHaveLength(1);
    expect(whole[0]).toMatchObject({ status: 'completed', counts: { traces: 5 } });
    expect(manifests.filter((m) => m.shard).reduce((sum, m) => sum + m.counts.traces, 0)).toBe(5);
    expect(git(remote, 'show', 'labbook-data:experiments/qa/experiment.yaml')).toContain('primaryMetric: "correct"');
  });
});
