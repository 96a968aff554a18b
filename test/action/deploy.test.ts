import { expandTraces } from '../../src/store/compact-traces.ts';
import { readRunManifest } from '../../src/store/run-reader.ts';
import { gunzipSync, gzipSync } from 'node:zlib';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { appendFile, cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import yaml from 'js-yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deploymentSchema, type Deployment } from '../../schemas/deployment.ts';
import { runManifestSchema, type RunManifest } from '../../schemas/run-manifest.ts';
import { CHECK } from '../../src/deploy/eligibility.ts';
import { runContentDigest } from '../../src/deploy/sums-digest.ts';
import { finishRun } from '../../src/store/finish-run.ts';
import { startFakeGithub, type FakeGithub, type WorkflowRunSpec } from '../github-api/fake-github.ts';
import { uploadArtifactStep } from '../github-api/upload-artifact-step.ts';
import { runCli } from '../helpers/run-cli.ts';
import { createTestRepo, evalCommand, FAKE_EVAL, git, REPOSITORY, ROOT, runAction, type ActionRun, type TestRepo } from './harness.ts';

/**
 * Deploy mode, run as the runner runs it, against a bare git remote and the local stand-in for
 * GitHub's REST API. Every deployable run is made by the action's own evaluate mode, so the
 * evidence file that records its digest is the one the action really writes (uploaded as the
 * workflow's upload-artifact step does); each refusal starts from such a run and changes exactly
 * one thing, so exactly one check fails.
 */
const TOKEN = 'ghs_deploy_token';
/** Deploy steps run under Node 24 (GitHub's runtime for `node24` actions) when LABBOOK_NODE24 names its binary. */
const NODE = process.env.LABBOOK_NODE24 || process.execPath;
const DATA = 'labbook-data';
const DEPLOY_LOG = `https://github.com/${REPOSITORY}/actions/runs`;

let repo: TestRepo;
let api: FakeGithub;
let workflowRunIds = 5000;
let deployRunIds = 9000;

beforeAll(async () => {
  repo = await createTestRepo('labbook-deploy-');
  api = await startFakeGithub({ repository: REPOSITORY, gitRemote: repo.remote });
});
afterAll(async () => {
  await api.close();
});

interface CiRun {
  runId: string;
  workflowRunId: number;
  dir: string;
  manifest: RunManifest;
  /** The action's `evidence-path` output. */
  evidencePath: string;
}

/**
 * Evaluates baseline.yaml (or `config`) with the action as workflow run `id`, pushing to the data
 * branch; `at` is the workspace's commit when it is not the repository's (`repo.sha`).
 */
async function evaluateInCi(options: { token?: boolean; config?: string; at?: string; env?: Record<string, string> } = {}): Promise<CiRun> {
  const workflowRunId = ++workflowRunIds;
  const run = await runAction({
    repo: { ...repo, sha: options.at ?? repo.sha },
    apiUrl: api.url,
    runId: String(workflowRunId),
    env: options.env,
    inputs: {
      experiment: 'demo',
      config: options.config ?? 'configs/baseline.yaml',
      command: evalCommand('EVAL_EXAMPLES=20'),
      'data-branch': DATA,
      ...(options.token === false ? {} : { 'github-token': TOKEN }),
    },
  });
  expect(run.code, run.stdout).toBe(0);
  const runId = run.outputs['run-id']!;
  const manifest = runManifestSchema.parse(JSON.parse(git(repo.remote, 'show', `${DATA}:experiments/demo/runs/${runId}/run.json`)));
  const evidencePath = run.outputs['evidence-path']!;
  // The evidence file: the run's SHA256SUMS, under a name unique to the run.
  expect(basename(evidencePath)).toBe(`labbook-demo-${runId}.SHA256SUMS`);
  expect(readFileSync(evidencePath, 'utf8')).toBe(git(repo.remote, 'show', `${DATA}:experiments/demo/runs/${runId}/SHA256SUMS`));
  return { runId, workflowRunId, dir: run.outputs['run-dir']!, manifest, evidencePath };
}

/**
 * Tells the fake GitHub about the workflow run that made `run`, as GitHub would answer for it,
 * with the artifact its upload step made of the action's evidence file (unless `upload` is false:
 * a workflow without that step).
 */
function registerWorkflowRun(run: CiRun, overrides: Partial<WorkflowRunSpec> = {}, options: { upload?: boolean } = {}): void {
  api.addWorkflowRun({ id: run.workflowRunId, headSha: repo.sha, ...overrides });
  if (options.upload !== false) uploadArtifactStep(api, run.workflowRunId, run.evidencePath);
}

/** A writer's own workflow run (a scratch workflow on a branch they pushed), on the same commit. */
let rogueRunIds = 6600;
function rogueWorkflowRun(overrides: Partial<WorkflowRunSpec> = {}): number {
  const id = ++rogueRunIds;
  api.addWorkflowRun({ id, headSha: repo.sha, path: '.github/workflows/scratch.yml', headBranch: 'mallory/scratch', ...overrides });
  return id;
}

/** Changes the data branch as someone with write access could: a clone, a commit, a push. */
async function editDataBranch(message: string, edit: (dataDir: string) => Promise<void>): Promise<void> {
  const dir = await mkdtemp(join(repo.root, 'edit-'));
  git(repo.root, 'clone', '-q', '--branch', DATA, repo.remote, dir);
  await edit(join(dir, 'experiments'));
  git(dir, 'add', '-A');
  git(dir, '-c', 'user.name=mallory', '-c', 'user.email=mallory@example.invalid', 'commit', '-q', '-m', message);
  git(dir, 'push', '-q', 'origin', DATA);
}

const runDirIn = (dataDir: string, runId: string) => join(dataDir, 'demo', 'runs', runId);

/** A fresh clone of the data branch, as a reader of it sees it. */
async function cloneData(): Promise<string> {
  const dir = await mkdtemp(join(repo.root, 'data-'));
  git(repo.root, 'clone', '-q', '--branch', DATA, repo.remote, dir);
  return dir;
}

interface Deploy {
  result: ActionRun;
  /** Environment lines the deploy command wrote, or null when it never ran. */
  commandSaw: Record<string, string> | null;
  deployRunId: string;
  apiRequestsBefore: number;
  deploymentsBefore: number;
}

/** Deploy mode for `run` against another stand-in for GitHub; the deploy command leaves `marker`. */
function deployAgainst(github: FakeGithub, run: string, marker: string, env: Record<string, string> = {}): Promise<ActionRun> {
  return runAction({
    repo,
    apiUrl: github.url,
    event: 'workflow_dispatch',
    runId: String(++deployRunIds),
    env: { DEPLOY_MARKER: marker, ...env },
    inputs: deployInputs(run, 'touch "$DEPLOY_MARKER"'),
  });
}

/** The action's inputs to deploy `run` to production with `command`. */
function deployInputs(run: string, command: string): Record<string, string> {
  return { mode: 'deploy', run, environment: 'production', 'data-branch': DATA, 'github-token': TOKEN, 'deploy-command': command };
}

async function deployRun(run: string, inputs: Record<string, string> = {}): Promise<Deploy> {
  const marker = join(repo.root, `deploy-command-${++deployRunIds}.env`);
  const deployRunId = String(deployRunIds);
  const apiRequestsBefore = api.requests.length;
  const deploymentsBefore = api.deployments.length;
  const result = await runAction({
    repo,
    node: NODE,
    apiUrl: api.url,
    event: 'workflow_dispatch',
    runId: deployRunId,
    job: 'deploy',
    env: { DEPLOY_MARKER: marker, DEPLOY_SECRET: 'passed-with-env' },
    inputs: {
      ...deployInputs(
        run,
        'env | grep -E "^(LABBOOK_|DEPLOY_SECRET=)" > "$DEPLOY_MARKER"; echo "INPUT_COUNT=$(env | grep -c "^INPUT_" || true)" >> "$DEPLOY_MARKER"; echo "deploying $LABBOOK_RUN_ID"',
      ),
      ...inputs,
    },
  });
  const commandSaw = existsSync(marker)
    ? Object.fromEntries(
        readFileSync(marker, 'utf8')
          .trim()
          .split('\n')
          .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
      )
    : null;
  return { result, commandSaw, deployRunId, apiRequestsBefore, deploymentsBefore };
}

function recordAt(path: string): Deployment {
  return deploymentSchema.parse(JSON.parse(git(repo.remote, 'show', `${DATA}:${path}`)));
}

/**
 * A refusal: the step fails naming the check, exactly `check` failed (the others passed or were
 * skipped because of it), a Deployment was created and set to `failure` at once, the deploy
 * command never ran, and the attempt is recorded (when the run exists).
 */
function expectRefused(deploy: Deploy, check: string, detail: RegExp): Deployment | null {
  const { result } = deploy;
  expect(result.code).toBe(1);
  expect(result.stdout).toMatch(new RegExp(`::error::refused to deploy .* to production: failed check: ${escape(check)} \\(`));
  expect(result.stdout).toContain('Nothing was deployed.');
  expect(result.outputs).toMatchObject({ eligible: 'false' });
  expect(result.outputs.commit).toBeUndefined();
  expect(result.outputs['config-path']).toBeUndefined();
  expect(deploy.commandSaw, 'the deploy command must not run').toBeNull();

  const created = api.deployments.slice(deploy.deploymentsBefore);
  expect(created).toHaveLength(1);
  const deployment = created[0]!;
  expect(result.outputs['deployment-id']).toBe(String(deployment.id));
  expect(deployment).toMatchObject({ environment: 'production', description: expect.stringContaining('(refused)') });
  const statuses = api.deploymentStatuses.get(deployment.id as number)!;
  expect(statuses.map((s) => s.state)).toEqual(['failure']);
  expect(statuses[0]!.description).toBe(`refused: ${check}`);
  expect(statuses[0]!.log_url).toBe(`${DEPLOY_LOG}/${deploy.deployRunId}/attempts/1`);

  expect(result.summary).toContain(`⛔ **Refused (failed: ${check}). Nothing was deployed.**`);
  if (check !== CHECK.exists) expect(result.summary).toContain('**Lineage the run claims:** Commit');
  expect(result.summary).toMatch(new RegExp(`\\| ❌ \\| ${escape(check)} \\| FAIL \\|`));
  if (!result.outputs['record-path']) return null;
  const record = recordAt(result.outputs['record-path']);
  expect(record).toMatchObject({ environment: 'production', outcome: 'failure', githubDeploymentId: deployment.id, actor: 'Codertocat' });
  const failed = record.checks.filter((c) => !c.ok && !c.skipped);
  expect(failed.map((c) => c.name)).toEqual([check]);
  expect(failed[0]!.detail).toMatch(detail);
  expect(record.reason).toContain(check);
  return record;
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

describe('deploy mode', () => {
  it(
    'deploys an eligible CI run: deployment in_progress → success, outputs, the command with its environment, the record pushed',
    { timeout: 60_000 },
    async () => {
      const ci = await evaluateInCi();
      registerWorkflowRun(ci);
      const deploy = await deployRun(ci.runId.slice(-12)); // a unique part of the id is enough
      const { result } = deploy;
      expect(result.stderr).toBe('');
      expect(result.code, result.stdout).toBe(0);

      // Outputs: exactly the commit the run names, and the run's own stored, verified config.
      expect(result.outputs).toMatchObject({
        eligible: 'true',
        'run-id': ci.runId,
        commit: repo.sha,
        'config-repo-path': 'configs/baseline.yaml',
        'config-digest': ci.manifest.config.digest,
      });
      expect(result.outputs['config-path']).toMatch(new RegExp(`labbook-deploy/${ci.runId}/config\\.yaml$`));
      expect(readFileSync(result.outputs['config-path']!, 'utf8')).toBe(
        git(repo.remote, 'show', `${DATA}:experiments/demo/runs/${ci.runId}/config.yaml`),
      );

      // The GitHub Deployment: the run's commit, the environment, the payload, no auto-merge, no required contexts.
      const created = api.deployments.slice(deploy.deploymentsBefore);
      expect(created).toHaveLength(1);
      const deployment = created[0]!;
      expect(result.outputs['deployment-id']).toBe(String(deployment.id));
      expect(deployment).toMatchObject({ ref: repo.sha, sha: repo.sha, environment: 'production' });
      expect(deployment.payload).toEqual({
        run: ci.runId,
        experiment: 'demo',
        configDigest: ci.manifest.config.digest,
        contentDigest: await runContentDigest(ci.dir),
      });
      const request = api.requests
        .slice(deploy.apiRequestsBefore)
        .find((r) => r.method === 'POST' && r.path === `/repos/${REPOSITORY}/deployments`)!;
      expect(request.body).toMatchObject({ auto_merge: false, required_contexts: [] });
      expect(request.authorization).toBe(`token ${TOKEN}`);
      // The evidence was read from the named workflow run's own artifacts endpoint; no commit status was asked for.
      const sent = api.requests.slice(deploy.apiRequestsBefore);
      expect(sent.find((r) => r.path.endsWith('/artifacts'))).toMatchObject({
        path: `/repos/${REPOSITORY}/actions/runs/${ci.workflowRunId}/artifacts`,
        query: { name: `labbook-demo-${ci.runId}.SHA256SUMS`, per_page: '100', page: '1' },
      });
      expect(sent.some((r) => /\/commits\/[^/]+\/statuses$/.test(r.path))).toBe(false);
      const statuses = api.deploymentStatuses.get(deployment.id as number)!;
      expect(statuses.map((s) => s.state)).toEqual(['in_progress', 'success']);
      expect(statuses.every((s) => s.log_url === `${DEPLOY_LOG}/${deploy.deployRunId}/attempts/1`)).toBe(true);

      // The deploy command ran with the commit, the config and the run, and without the action's inputs.
      expect(deploy.commandSaw).toMatchObject({
        LABBOOK_COMMIT: repo.sha,
        LABBOOK_CONFIG: result.outputs['config-path'],
        LABBOOK_CONFIG_DIGEST: ci.manifest.config.digest,
        LABBOOK_RUN_ID: ci.runId,
        LABBOOK_EXPERIMENT: 'demo',
        LABBOOK_ENVIRONMENT: 'production',
        DEPLOY_SECRET: 'passed-with-env',
        INPUT_COUNT: '0',
      });
      expect(result.stdout).toContain(`deploying ${ci.runId}`);

      // The record: a new file on the data branch, every check passed.
      expect(result.outputs['record-path']).toMatch(/^experiments\/demo\/deployments\/\d{8}-\d{6}-production-[0-9a-f]{6}\.json$/);
      const record = recordAt(result.outputs['record-path']!);
      expect(record).toMatchObject({
        environment: 'production',
        experiment: 'demo',
        run: ci.runId,
        commit: repo.sha,
        configPath: `experiments/demo/runs/${ci.runId}/config.yaml`,
        configDigest: ci.manifest.config.digest,
        actor: 'Codertocat',
        workflowRunUrl: `${DEPLOY_LOG}/${deploy.deployRunId}/attempts/1`,
        githubDeploymentId: deployment.id,
        outcome: 'success',
      });
      expect(record.reason).toBeUndefined();
      expect(record.checks.map((c) => c.name)).toEqual([
        CHECK.exists,
        CHECK.completed,
        CHECK.ci,
        CHECK.sums,
        CHECK.workflowRun,
        CHECK.fork,
        CHECK.workflow,
        CHECK.event,
        CHECK.branch,
        CHECK.onBranch,
        CHECK.success,
        CHECK.commit,
        CHECK.recorded,
      ]);
      expect(record.checks.every((c) => c.ok)).toBe(true);
      const log = git(repo.remote, 'log', '-1', '--format=%s%n%an', DATA).trim().split('\n');
      expect(log).toEqual([`labbook: deploy demo/${ci.runId} to production (success)`, 'github-actions[bot]']);

      // The summary lists every check and the lineage commit → CI job → run → deployment.
      expect(result.summary).toContain(`## 🚀 Deploy demo/${ci.runId} to production`);
      expect(result.summary).toContain('🚀 **Deployed: every check passed and the deploy command succeeded.**');
      expect(result.summary).toContain(`| ✅ | ${CHECK.recorded} | pass |`);
      expect(result.summary).toContain(
        `Later steps get \`commit\` = \`${repo.sha}\` and \`config-path\` = \`${result.outputs['config-path']}\`.\n\n📝 Record: recorded in ${result.outputs['record-path']} on ${DATA}`,
      );
      expect(result.summary).toContain(
        `\n\n**Lineage:** Commit [${repo.sha.slice(0, 12)}](https://github.com/${REPOSITORY}/commit/${repo.sha}) → CI job [evaluate run ${ci.workflowRunId} (attempt 1), job evaluate](${ci.manifest.source.kind === 'ci' ? ci.manifest.source.runUrl : ''}) → Run demo/${ci.runId} (completed) → Deployment [#${deployment.id} to production](https://github.com/${REPOSITORY}/deployments/production)\n\n`,
      );
      // The token is masked, and the data checkout (with its copy of the token) is gone.
      expect(result.stdout.split('\n').filter((line) => line.includes(TOKEN))).toEqual([`::add-mask::${TOKEN}`]);
    },
  );

  it('fails the deployment, not the checks, when the deploy command fails', { timeout: 60_000 }, async () => {
    const ci = await evaluateInCi();
    registerWorkflowRun(ci);
    const deploy = await deployRun(ci.runId, { 'deploy-command': 'echo "rolling out $LABBOOK_COMMIT"; exit 3' });
    expect(deploy.result.code).toBe(1);
    expect(deploy.result.outputs).toMatchObject({ eligible: 'true', commit: repo.sha });
    expect(deploy.result.stdout).toContain(`rolling out ${repo.sha}`);
    expect(deploy.result.stdout).toContain(
      `::error::the deployment of demo/${ci.runId} to production failed: the deploy command exited with code 3`,
    );
    const deployment = api.deployments.at(-1)!;
    expect(api.deploymentStatuses.get(deployment.id as number)!.map((s) => [s.state, s.description])).toEqual([
      ['in_progress', `deploying demo/${ci.runId}`],
      ['failure', 'the deploy command exited with code 3'],
    ]);
    const record = recordAt(deploy.result.outputs['record-path']!);
    expect(record).toMatchObject({ outcome: 'failure', reason: 'the deploy command exited with code 3' });
    expect(record.checks.every((c) => c.ok)).toBe(true);
  });

  it(
    'fails without deploying when GitHub refuses to create the Deployment (a token without deployments: write)',
    { timeout: 60_000 },
    async () => {
      const ci = await evaluateInCi();
      const readOnly = await startFakeGithub({ repository: REPOSITORY, gitRemote: repo.remote, readOnly: true });
      try {
        readOnly.addWorkflowRun({ id: ci.workflowRunId, headSha: repo.sha });
        uploadArtifactStep(readOnly, ci.workflowRunId, ci.evidencePath);
        const marker = join(repo.root, 'read-only-deploy.env');
        const result = await deployAgainst(readOnly, ci.runId, marker);
        expect(result.code).toBe(1);
        expect(result.outputs).toMatchObject({ eligible: 'true' });
        expect(result.stdout).toContain('::error::the deployment of demo/');
        expect(result.stdout).toContain('could not create the GitHub deployment: Resource not accessible by integration');
        expect(existsSync(marker)).toBe(false);
        expect(readOnly.deployments).toEqual([]);
        expect(recordAt(result.outputs['record-path']!)).toMatchObject({
          outcome: 'failure',
          reason: expect.stringContaining('deployments: write'),
        });
        expect(recordAt(result.outputs['record-path']!).githubDeploymentId).toBeUndefined();
      } finally {
        await readOnly.close();
      }
    },
  );

  it(
    'gives up on an API that never answers after LABBOOK_GITHUB_TIMEOUT seconds and fails without deploying',
    { timeout: 60_000 },
    async () => {
      const ci = await evaluateInCi();
      const hanging = await startFakeGithub({ repository: REPOSITORY, gitRemote: repo.remote, hang: /\/actions\/runs\/\d+$/ });
      try {
        hanging.addWorkflowRun({ id: ci.workflowRunId, headSha: repo.sha });
        const marker = join(repo.root, 'hanging-api-deploy.env');
        const result = await deployAgainst(hanging, ci.runId, marker, { LABBOOK_GITHUB_TIMEOUT: '2' });
        expect(result.code, result.stdout).toBe(1);
        expect(result.stdout).toMatch(/::error::.*no answer within 2 s \(LABBOOK_GITHUB_TIMEOUT sets how long to wait\)/);
        expect(hanging.requests.some((request) => request.path.endsWith(`/actions/runs/${ci.workflowRunId}`))).toBe(true);
        expect(existsSync(marker)).toBe(false);
        expect(hanging.deployments).toEqual([]);
      } finally {
        await hanging.close();
      }
    },
  );

  it('without a deploy command hands the commit and config to later steps and succeeds', { timeout: 60_000 }, async () => {
    const ci = await evaluateInCi();
    registerWorkflowRun(ci);
    const deploy = await deployRun(ci.runId, { 'deploy-command': '' });
    expect(deploy.result.code, deploy.result.stdout).toBe(0);
    expect(deploy.commandSaw).toBeNull();
    expect(deploy.result.outputs).toMatchObject({ eligible: 'true', commit: repo.sha });
    expect(deploy.result.summary).toContain('Released: every check passed');
    // What a later step does with the outputs: check out exactly that commit.
    const checkout = await mkdtemp(join(repo.root, 'later-step-'));
    git(repo.root, 'clone', '-q', repo.remote, checkout);
    git(checkout, 'checkout', '-q', deploy.result.outputs.commit!);
    expect(git(checkout, 'rev-parse', 'HEAD').trim()).toBe(ci.manifest.code.commit);
    expect(readFileSync(join(checkout, ci.manifest.config.path), 'utf8')).toBe(readFileSync(deploy.result.outputs['config-path']!, 'utf8'));
  });
});

describe('.github/workflows/deploy.yml', () => {
  type Step = { id?: string; uses?: string; run?: string; with?: Record<string, string>; env?: Record<string, string> };
  const workflow = yaml.load(readFileSync(join(ROOT, '.github/workflows/deploy.yml'), 'utf8')) as { jobs: { deploy: { steps: Step[] } } };
  const steps = workflow.jobs.deploy.steps;
  /** Replaces `${{ expr }}` as the runner would, from `values`; an unknown expression is an error here. */
  const resolve = (text: string, values: Record<string, string>) =>
    text.replace(/\$\{\{\s*([^}]+?)\s*\}\}/g, (_, expr: string) => {
      if (!(expr in values)) throw new Error(`the test does not know ${expr}`);
      return values[expr]!;
    });

  it(
    'runs step by step: the action deploys with the dispatch inputs, and the later steps get exactly its commit and config',
    { timeout: 60_000 },
    async () => {
      const ci = await evaluateInCi();
      registerWorkflowRun(ci);
      const dispatch = { 'inputs.run': ci.runId, 'inputs.environment': 'production' };

      const action = steps.find((s) => s.uses === './action')!;
      const inputs = Object.fromEntries(Object.entries(action.with!).map(([name, value]) => [name, resolve(String(value), dispatch)]));
      const result = await runAction({
        repo,
        apiUrl: api.url,
        event: 'workflow_dispatch',
        runId: String(++deployRunIds),
        job: 'deploy',
        inputs: { ...inputs, 'github-token': TOKEN },
      });
      expect(result.code, result.stdout).toBe(0);
      expect(result.stdout).toContain(`deploying ${ci.runId} (commit ${repo.sha}, config ${result.outputs['config-path']}) to production`);

      const values = {
        ...dispatch,
        ...Object.fromEntries(Object.entries(result.outputs).map(([name, value]) => [`steps.labbook.outputs.${name}`, value])),
      };
      const later = steps.slice(steps.indexOf(action) + 1);
      const checkout = later.find((s) => s.uses?.startsWith('actions/checkout'))!;
      const path = join(repo.workspace, checkout.with!.path!);
      git(repo.root, 'clone', '-q', repo.remote, path);
      git(path, 'checkout', '-q', resolve(checkout.with!.ref!, values));

      const summary = join(repo.root, 'later-summary.md');
      for (const step of later.filter((s) => s.run)) {
        const env = Object.fromEntries(Object.entries(step.env ?? {}).map(([name, value]) => [name, resolve(value, values)]));
        const ran = spawnSync('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', step.run!], {
          cwd: repo.workspace,
          env: { PATH: process.env.PATH, HOME: process.env.HOME, GITHUB_STEP_SUMMARY: summary, ...env },
          encoding: 'utf8',
        });
        expect(ran.status, `${ran.stdout}${ran.stderr}`).toBe(0);
      }
      expect(readFileSync(summary, 'utf8')).toBe(
        `deployed ${repo.sha} with ${result.outputs['config-path']} (${ci.manifest.config.digest})\n`,
      );
      await rm(path, { recursive: true, force: true });
    },
  );
});

describe('deploy mode refuses', () => {
  it('a run made on a laptop', { timeout: 60_000 }, async () => {
    await evaluateInCi(); // the data branch exists
    const laptop = await mkdtemp(join(repo.root, 'laptop-'));
    git(repo.root, 'clone', '-q', repo.remote, laptop);
    const made = await runCli(['run', '-e', 'demo', '--create', '-c', 'configs/baseline.yaml', '--', process.execPath, FAKE_EVAL], {
      cwd: laptop,
      env: { PATH: process.env.PATH, HOME: process.env.HOME, EVAL_EXAMPLES: '20' },
    });
    expect(made.code, made.stderr).toBe(0);
    const runId = /run (\S+) completed/.exec(made.stdout)![1]!;
    await editDataBranch('add a run made locally', (dataDir) =>
      cp(runDirIn(join(laptop, 'experiments'), runId), runDirIn(dataDir, runId), { recursive: true }),
    );
    const record = expectRefused(await deployRun(runId), CHECK.ci, /\(local\): only runs made by a CI job can be deployed/);
    expect(record!.checks.filter((c) => c.skipped).map((c) => c.name)).toEqual([
      CHECK.workflowRun,
      CHECK.fork,
      CHECK.workflow,
      CHECK.event,
      CHECK.branch,
      CHECK.onBranch,
      CHECK.success,
      CHECK.commit,
      CHECK.recorded,
    ]);
  });

  it("a run id that does not exist, recording the refusal on the deploy workflow's own commit", { timeout: 60_000 }, async () => {
    await evaluateInCi();
    const deploy = await deployRun('20200101-000000-nothing-000000');
    const record = expectRefused(deploy, CHECK.exists, /./);
    expect(record).toBeNull();
    expect(deploy.result.stdout).toMatch(/no run "20200101-000000-nothing-000000" in experiments\/ on branch labbook-data/);
    expect(api.deployments.at(-1)).toMatchObject({ ref: repo.sha, payload: { run: '20200101-000000-nothing-000000' } });
    expect(deploy.result.summary).toContain('not recorded: the run was not found');
  });

  it('a run that names a workflow run of another repository', { timeout: 60_000 }, async () => {
    const ci = await evaluateInCi();
    registerWorkflowRun(ci);
    await editDataBranch('claim another repository', async (dataDir) => {
      const source = ci.manifest.source as Extract<RunManifest['source'], { kind: 'ci' }>;
      await finishRun(runDirIn(dataDir, ci.runId), { patch: { source: { ...source, repository: 'a-forker/Hello-World' } } });
    });
    expectRefused(
      await deployRun(ci.runId),
      CHECK.workflowRun,
      /the run names repository a-forker\/Hello-World, not Codertocat\/Hello-World/,
    );
  });

  it('a run whose workflow run GitHub does not have', { timeout: 60_000 }, async () => {
    const ci = await evaluateInCi(); // never registered with the fake GitHub: 404
    expectRefused(
      await deployRun(ci.runId),
      CHECK.workflowRun,
      new RegExp(`GitHub has no workflow run ${ci.workflowRunId} in Codertocat/Hello-World`),
    );
  });

  it('a run from a fork', { timeout: 60_000 }, async () => {
    const ci = await evaluateInCi();
    registerWorkflowRun(ci, { event: 'pull_request', headRepository: 'a-forker/Hello-World' });
    // pull_request is allowed here, so only the fork check stands in the way.
    expectRefused(
      await deployRun(ci.runId, { 'allowed-events': 'push, pull_request' }),
      CHECK.fork,
      /head repository a-forker\/Hello-World/,
    );
  });

  it('a run from a failed workflow run', { timeout: 60_000 }, async () => {
    const ci = await evaluateInCi();
    registerWorkflowRun(ci, { conclusion: 'failure' });
    expectRefused(await deployRun(ci.runId), CHECK.success, /status completed, conclusion failure/);
  });

  it('a run from another workflow', { timeout: 60_000 }, async () => {
    const ci = await evaluateInCi();
    registerWorkflowRun(ci, { path: '.github/workflows/scratch.yml' });
    expectRefused(
      await deployRun(ci.runId),
      CHECK.workflow,
      /ran \.github\/workflows\/scratch\.yml, not \.github\/workflows\/evaluate\.yml/,
    );
  });

  it('a run from an event that is not allowed', { timeout: 60_000 }, async () => {
    const ci = await evaluateInCi();
    registerWorkflowRun(ci, { event: 'pull_request' });
    expectRefused(await deployRun(ci.runId), CHECK.event, /pull_request \(allowed: push, workflow_dispatch, schedule, merge_group\)/);
  });

  it(
    'a run from a branch other than the default one (whose evaluate.yml nobody reviewed), unless allowed',
    { timeout: 60_000 },
    async () => {
      const ci = await evaluateInCi();
      registerWorkflowRun(ci, { headBranch: 'try-things' });
      expectRefused(await deployRun(ci.runId), CHECK.branch, /^try-things \(allowed: master, gh-readonly-queue\/master\/\*\)$/);
      git(repo.workspace, 'push', '-q', 'origin', `${repo.sha}:refs/heads/try-things`); // the branch the workflow run ran on
      const allowed = await deployRun(ci.runId, { 'allowed-branches': 'master, try-*' });
      expect(allowed.result.code, allowed.result.stdout).toBe(0);
    },
  );

  it('a run whose commit is not the one the workflow run built', { timeout: 60_000 }, async () => {
    const ci = await evaluateInCi();
    // The workflow run built a later commit of master (the workspace stays at the run's own).
    const later = await mkdtemp(join(repo.root, 'later-commit-'));
    git(repo.root, 'clone', '-q', repo.remote, later);
    git(later, '-c', 'user.name=dev', '-c', 'user.email=dev@example.invalid', 'commit', '-q', '--allow-empty', '-m', 'later');
    git(later, 'push', '-q', 'origin', 'master');
    const other = git(later, 'rev-parse', 'HEAD').trim();
    registerWorkflowRun(ci, { headSha: other });
    const deploy = await deployRun(ci.runId);
    const record = expectRefused(deploy, CHECK.commit, new RegExp(`built ${other}, the run names ${repo.sha}`));
    expect(record!.checks.find((c) => c.name === CHECK.recorded)).toMatchObject({ ok: false, skipped: true });
    expect(api.deployments.at(-1)!.ref).toBe(repo.sha); // the deploy workflow's commit: the run's is not verified
  });

  it('a run whose trace file was modified after the job', { timeout: 60_000 }, async () => {
    const ci = await evaluateInCi();
    registerWorkflowRun(ci);
    await editDataBranch('tweak a trace', async (dataDir) => {
      const file = join(runDirIn(dataDir, ci.runId), 'traces', '00000.jsonl.gz');
      await writeFile(
        file,
        gzipSync(
          gunzipSync(await readFile(file))
            .toString('utf8')
            .replace('"question 1"', '"question one"'),
        ),
      );
    });
    expectRefused(await deployRun(ci.runId), CHECK.sums, /^traces\/00000\.jsonl\.gz changed$/);
  });

  it('a run whose config file was modified after the job', { timeout: 60_000 }, async () => {
    const ci = await evaluateInCi();
    registerWorkflowRun(ci);
    await editDataBranch('tweak the config', (dataDir) => appendFile(join(runDirIn(dataDir, ci.runId), 'config.yaml'), 'temperature: 0\n'));
    expectRefused(await deployRun(ci.runId), CHECK.sums, /^config\.yaml changed$/);
  });

  /** Rewrites a run on the data branch with better numbers and reseals it (new SHA256SUMS); returns the new content digest. */
  async function resealWithBetterScores(ci: CiRun): Promise<string> {
    let resealed = '';
    await editDataBranch('better numbers', async (dataDir) => {
      const dir = runDirIn(dataDir, ci.runId);
      await expandTraces(dir, await readRunManifest(dir)); // the forger edits plain JSON, then reseals
      const file = join(dir, 'traces.jsonl');
      await writeFile(
        file,
        (await readFile(file, 'utf8')).replaceAll('"output":"no idea"', '"output":"answer"').replaceAll('"value":false', '"value":true'),
      );
      await finishRun(dir);
      resealed = await runContentDigest(dir);
    });
    return resealed;
  }

  /**
   * What a writer can post for a forged run with a workflow of their own: a commit status by
   * github-actions[bot] carrying the forged digest (what deploy used to trust) and an artifact of
   * their own workflow run under the run's evidence name. Neither is in the genuine workflow run.
   */
  function postForgedEvidence(runId: string, digest: string, rogueRunId: number, createdAt?: string): void {
    api.addStatus(repo.sha, { context: `labbook/demo/${runId}`, description: digest, createdAt });
    api.uploadArtifact(rogueRunId, { name: `labbook-demo-${runId}.SHA256SUMS`, digest });
  }

  it('a run whose job uploaded no evidence, even with a github-actions[bot] status carrying its digest', { timeout: 60_000 }, async () => {
    const ci = await evaluateInCi();
    registerWorkflowRun(ci, {}, { upload: false });
    api.addStatus(repo.sha, { context: `labbook/demo/${ci.runId}`, description: await runContentDigest(ci.dir) });
    expectRefused(
      await deployRun(ci.runId),
      CHECK.recorded,
      new RegExp(`workflow run ${ci.workflowRunId} has no artifact labbook-demo-${ci.runId}\\.SHA256SUMS`),
    );
  });

  it("a resealed run with evidence from another workflow run inside the genuine run's time window", { timeout: 60_000 }, async () => {
    const ci = await evaluateInCi();
    const created = new Date(Date.now() - 10 * 60_000);
    const updated = new Date(Date.now() + 60_000);
    registerWorkflowRun(ci, { createdAt: created.toISOString(), updatedAt: updated.toISOString() });
    const recorded = await runContentDigest(ci.dir);
    const resealed = await resealWithBetterScores(ci);
    // A scratch workflow of the writer's, running at the same time on the same commit.
    const rogue = rogueWorkflowRun({ createdAt: created.toISOString(), updatedAt: updated.toISOString() });
    postForgedEvidence(ci.runId, resealed, rogue, new Date(Date.now() - 5 * 60_000).toISOString().replace(/\.\d+Z$/, 'Z'));
    expectRefused(
      await deployRun(ci.runId),
      CHECK.recorded,
      new RegExp(
        `^workflow run ${ci.workflowRunId} recorded ${recorded} in artifact labbook-demo-${ci.runId}\\.SHA256SUMS; the run's files now digest to ${resealed}$`,
      ),
    );
  });

  it('a resealed run with evidence posted after the genuine workflow run was re-run', { timeout: 60_000 }, async () => {
    const ci = await evaluateInCi();
    // Attempt 2 finished just now; the forged evidence comes after it.
    registerWorkflowRun(ci, {
      runAttempt: 2,
      createdAt: new Date(Date.now() - 3_600_000).toISOString(),
      runStartedAt: new Date(Date.now() - 60_000).toISOString(),
      updatedAt: new Date().toISOString(),
    });
    const recorded = await runContentDigest(ci.dir);
    const resealed = await resealWithBetterScores(ci);
    postForgedEvidence(ci.runId, resealed, rogueWorkflowRun(), new Date(Date.now() + 5 * 60_000).toISOString().replace(/\.\d+Z$/, 'Z'));
    expectRefused(
      await deployRun(ci.runId),
      CHECK.recorded,
      new RegExp(`recorded ${recorded} in artifact .*; the run's files now digest to ${resealed}$`),
    );
  });

  it("a resealed run with forged evidence when GitHub's answer has no timestamps", { timeout: 60_000 }, async () => {
    const ci = await evaluateInCi();
    registerWorkflowRun(ci, { withoutTimestamps: true });
    const recorded = await runContentDigest(ci.dir);
    const resealed = await resealWithBetterScores(ci);
    postForgedEvidence(ci.runId, resealed, rogueWorkflowRun({ withoutTimestamps: true }));
    expectRefused(
      await deployRun(ci.runId),
      CHECK.recorded,
      new RegExp(`recorded ${recorded} in artifact .*; the run's files now digest to ${resealed}$`),
    );
  });

  it(
    "a run whose scores were edited and resealed (the job's artifact keeps the digest of what it produced)",
    { timeout: 60_000 },
    async () => {
      const ci = await evaluateInCi();
      registerWorkflowRun(ci);
      const recorded = await runContentDigest(ci.dir);
      const resealed = await resealWithBetterScores(ci);
      const clone = await cloneData();
      const validated = await runCli(['validate', runDirIn(join(clone, 'experiments'), ci.runId)], {
        cwd: clone,
        env: { PATH: process.env.PATH, HOME: process.env.HOME },
      });
      expect(validated.code, `${validated.stdout}${validated.stderr}`).toBe(0); // the files agree with their new seal
      expectRefused(
        await deployRun(ci.runId),
        CHECK.recorded,
        new RegExp(`recorded ${recorded} in artifact .*; the run's files now digest to ${resealed}$`),
      );
    },
  );

  it(
    'a local run rewritten to claim a real workflow run, resealed: validate and the offline check cannot tell, deploy refuses',
    { timeout: 60_000 },
    async () => {
      const ci = await evaluateInCi();
      registerWorkflowRun(ci); // a real workflow run of the evaluation workflow, on this commit
      const laptop = await mkdtemp(join(repo.root, 'laptop-'));
      git(repo.root, 'clone', '-q', repo.remote, laptop);
      const made = await runCli(['run', '-e', 'demo', '--create', '-c', 'configs/baseline.yaml', '--', process.execPath, FAKE_EVAL], {
        cwd: laptop,
        env: { PATH: process.env.PATH, HOME: process.env.HOME, EVAL_EXAMPLES: '20' },
      });
      expect(made.code, made.stderr).toBe(0);
      const runId = /run (\S+) completed/.exec(made.stdout)![1]!;
      await editDataBranch('a run from CI, honest', async (dataDir) => {
        const dir = runDirIn(dataDir, runId);
        await cp(runDirIn(join(laptop, 'experiments'), runId), dir, { recursive: true });
        await expandTraces(dir, await readRunManifest(dir));
        const file = join(dir, 'traces.jsonl');
        await writeFile(file, (await readFile(file, 'utf8')).replaceAll('"value":false', '"value":true'));
        await finishRun(dir, { patch: { source: ci.manifest.source, code: ci.manifest.code } });
      });
      const clone = await cloneData();
      const data = join(clone, 'experiments');
      const validated = await runCli(['validate', runDirIn(data, runId)], {
        cwd: clone,
        env: { PATH: process.env.PATH, HOME: process.env.HOME },
      });
      expect(validated.code, `${validated.stdout}${validated.stderr}`).toBe(0);
      const offline = await runCli(['deploy', 'check', '--run', runId, '--offline'], {
        cwd: clone,
        env: { PATH: process.env.PATH, HOME: process.env.HOME },
      });
      expect(offline.code).toBe(1);
      expect(offline.stdout).toMatch(
        new RegExp(
          `^${escape(CHECK.ci)}\\s+skipped\\s+not checked: source: ci claimed \\(${escape(REPOSITORY)} workflow run ${ci.workflowRunId}\\); not verifiable offline$`,
          'm',
        ),
      );
      expect(offline.stdout.trim().split('\n').at(-1)).toMatch(
        /^NOT verified: no check failed, but source: ci is claimed and not verifiable offline/,
      );

      postForgedEvidence(runId, await runContentDigest(runDirIn(data, runId)), rogueWorkflowRun());
      expectRefused(
        await deployRun(runId),
        CHECK.recorded,
        new RegExp(`workflow run ${ci.workflowRunId} has no artifact labbook-demo-${runId}\\.SHA256SUMS`),
      );
    },
  );

  it(
    'a run without an artifact attestation when attestations are required, and accepts one the evaluation run made',
    { timeout: 60_000 },
    async () => {
      const ci = await evaluateInCi();
      registerWorkflowRun(ci);
      expectRefused(
        await deployRun(ci.runId, { 'require-attestation': 'true' }),
        CHECK.attestation,
        /no attestation of the run's SHA256SUMS/,
      );

      const digest = await runContentDigest(ci.dir);
      api.addAttestation(digest, {
        repository: REPOSITORY,
        workflowPath: '.github/workflows/scratch.yml',
        workflowRunId: ci.workflowRunId,
        commit: repo.sha,
      });
      expectRefused(
        await deployRun(ci.runId, { 'require-attestation': 'true' }),
        CHECK.attestation,
        /none by \.github\/workflows\/evaluate\.yml/,
      );

      api.addAttestation(digest, {
        repository: REPOSITORY,
        workflowPath: '.github/workflows/evaluate.yml',
        workflowRunId: ci.workflowRunId,
        commit: repo.sha,
      });
      const accepted = await deployRun(ci.runId, { 'require-attestation': 'true' });
      expect(accepted.result.code, accepted.result.stdout).toBe(0);
      expect(recordAt(accepted.result.outputs['record-path']!).checks.at(-1)).toMatchObject({ name: CHECK.attestation, ok: true });
    },
  );

  it('bad deploy inputs, naming the input', async () => {
    const bad = async (inputs: Record<string, string>) =>
      (await runAction({ repo, apiUrl: api.url, event: 'workflow_dispatch', inputs: { mode: 'deploy', 'github-token': TOKEN, ...inputs } }))
        .stdout;
    expect(await bad({ run: 'x' })).toContain('::error::input "environment": is required in deploy mode');
    expect(await bad({ run: 'abc', environment: 'Production' })).toContain('::error::input "environment" ("Production"): must match');
    expect(await bad({ run: 'abc', environment: 'prod', command: 'make' })).toContain(
      '::error::input "command" ("make"): is not used in deploy mode',
    );
    expect(await bad({ run: 'abc', environment: 'prod', workflow: 'evaluate.yml' })).toContain(
      '::error::input "workflow" ("evaluate.yml"): must be a workflow file path',
    );
    expect(await bad({ run: 'abc', environment: 'prod', 'allowed-events': 'push; rm -rf' })).toContain('is not an event name');
  });
});

describe('deploy mode refuses what the checks used to let through', () => {
  const AS_MALLORY = ['-c', 'user.name=mallory', '-c', 'user.email=mallory@example.invalid'];
  const MALLORY_CONFIG = 'model: sim-9\nparams:\n  accuracy: 1.0\n';
  /** A clone of the remote, on a new branch of Mallory's. */
  const malloryClone = async (branch: string) => {
    const mallory = await mkdtemp(join(repo.root, 'mallory-'));
    git(repo.root, 'clone', '-q', repo.remote, mallory);
    git(mallory, 'checkout', '-q', '-b', branch);
    return mallory;
  };
  /** Commits `config` as the baseline config in Mallory's clone; its commit. */
  const malloryCommits = async (mallory: string, config: string, message: string) => {
    await writeFile(join(mallory, 'configs', 'baseline.yaml'), config);
    git(mallory, ...AS_MALLORY, 'commit', '-q', '-am', message);
    return git(mallory, 'rev-parse', 'HEAD').trim();
  };

  it(
    'a run from a tag named like the default branch: head_branch says master, but master never held the commit (nor its evaluate.yml)',
    { timeout: 60_000 },
    async () => {
      await evaluateInCi(); // the data branch exists
      // Mallory's commit on a branch of her own (any code, any workflow file: here a better-looking
      // config), and a tag called "master" on it. Pushing the tag starts the workflow there; GitHub
      // records head_branch "master" for it, with event push.
      const mallory = await malloryClone('mallory/tagged');
      const tagged = await malloryCommits(mallory, MALLORY_CONFIG, 'a config of my own');
      git(mallory, 'push', '-q', 'origin', 'mallory/tagged', `${tagged}:refs/tags/master`);
      git(repo.workspace, 'fetch', '-q', 'origin', 'mallory/tagged');
      git(repo.workspace, 'checkout', '-q', tagged);
      try {
        const ci = await evaluateInCi({ at: tagged });
        expect(ci.manifest.code.commit).toBe(tagged);
        registerWorkflowRun(ci, { headSha: tagged, headBranch: 'master', event: 'push' });
        expectRefused(
          await deployRun(ci.runId),
          CHECK.onBranch,
          new RegExp(
            `^${tagged.slice(0, 12)} is not in the history of branch master \\(at [0-9a-f]{12}\\): head_branch master named a tag`,
          ),
        );
      } finally {
        git(repo.workspace, 'checkout', '-q', 'master');
        git(mallory, 'push', '-q', 'origin', ':refs/tags/master', ':refs/heads/mallory/tagged');
      }
    },
  );

  it(
    "a run from a tag at a pull request's own commit, later merged with a merge commit: in master's history, never master",
    { timeout: 60_000 },
    async () => {
      await evaluateInCi(); // the data branch exists
      // Mallory's pull request: a first commit with a config of her own, a tag "master" on it
      // (its workflow run says head_branch master), then a second commit that puts the config
      // back, which is all a reviewer of the final diff sees; merged with a merge commit.
      const mallory = await malloryClone('mallory/pr');
      const before = git(mallory, 'rev-parse', 'HEAD').trim();
      const original = await readFile(join(mallory, 'configs', 'baseline.yaml'), 'utf8');
      const own = await malloryCommits(mallory, MALLORY_CONFIG, 'try a config');
      git(mallory, 'push', '-q', 'origin', `${own}:refs/tags/master`);
      await malloryCommits(mallory, original, 'back to the baseline');
      git(repo.workspace, 'fetch', '-q', 'origin', `${own}:refs/remotes/origin/own`);
      git(repo.workspace, 'checkout', '-q', own);
      try {
        const ci = await evaluateInCi({ at: own });
        registerWorkflowRun(ci, { headSha: own, headBranch: 'master', event: 'push' });
        git(mallory, 'checkout', '-q', 'master');
        git(mallory, ...AS_MALLORY, 'merge', '-q', '--no-ff', '-m', 'Merge pull request #9 from mallory/pr', 'mallory/pr');
        git(mallory, 'push', '-q', 'origin', 'master');
        expectRefused(
          await deployRun(ci.runId),
          CHECK.onBranch,
          new RegExp(`^${own.slice(0, 12)} is in the history of branch master \\(at [0-9a-f]{12}\\) but not on its first-parent line`),
        );
      } finally {
        git(repo.workspace, 'checkout', '-q', 'master');
        git(mallory, 'push', '-q', '-f', 'origin', `${before}:refs/heads/master`, ':refs/tags/master');
      }
    },
  );

  it(
    "deploys a run of master's tip that a later `git pull` merge, pushed as it is, put off the first-parent line",
    { timeout: 60_000 },
    async () => {
      await evaluateInCi(); // the data branch exists
      const before = git(repo.remote, 'rev-parse', 'master').trim();
      const clone = async (who: string) => {
        const dir = await mkdtemp(join(repo.root, `${who}-`));
        git(repo.root, 'clone', '-q', repo.remote, dir);
        git(dir, 'config', 'user.name', who);
        git(dir, 'config', 'user.email', `${who}@example.invalid`);
        return dir;
      };
      const [ada, grace] = [await clone('ada'), await clone('grace')];
      await writeFile(join(ada, 'README.md'), '# an agent, better prompted\n');
      git(ada, 'commit', '-q', '-am', 'a better prompt');
      const tip = git(ada, 'rev-parse', 'HEAD').trim();
      git(ada, 'push', '-q', 'origin', 'master'); // master's tip: CI evaluates it
      git(repo.workspace, 'fetch', '-q', 'origin', 'master');
      git(repo.workspace, 'checkout', '-q', tip);
      try {
        const ci = await evaluateInCi({ at: tip });
        registerWorkflowRun(ci, { headSha: tip, headBranch: 'master', event: 'push' });
        // Grace committed on the old master and merges what she pulls: her commit is the merge's first parent.
        await writeFile(join(grace, 'NOTES.md'), 'a new tool\n');
        git(grace, 'add', 'NOTES.md');
        git(grace, 'commit', '-q', '-m', 'a new tool');
        git(grace, 'pull', '-q', '--no-rebase', '--no-edit', 'origin', 'master');
        git(grace, 'push', '-q', 'origin', 'master');
        expect(git(repo.remote, 'rev-list', '--first-parent', 'master').split('\n')).not.toContain(tip);

        const deploy = await deployRun(ci.runId);
        expect(deploy.result.code, deploy.result.stdout).toBe(0);
        expect(deploy.result.outputs).toMatchObject({ eligible: 'true', commit: tip });
        expect(deploy.result.stdout).toMatch(
          new RegExp(`${tip.slice(0, 12)} was the tip of branch master: GitHub's activity record has the push that left it there`),
        );
      } finally {
        git(repo.workspace, 'checkout', '-q', 'master');
        git(ada, 'push', '-q', '-f', 'origin', `${before}:refs/heads/master`);
      }
    },
  );

  it(
    "a genuine run copied over another run's folder: deploying one run's id would ship the other's config",
    { timeout: 60_000 },
    async () => {
      const worse = await evaluateInCi({ config: 'configs/worse.yaml' });
      const better = await evaluateInCi();
      registerWorkflowRun(worse);
      registerWorkflowRun(better);
      await editDataBranch('the better run, now with the worse one inside', async (dataDir) => {
        await rm(runDirIn(dataDir, better.runId), { recursive: true });
        await cp(runDirIn(dataDir, worse.runId), runDirIn(dataDir, better.runId), { recursive: true });
      });
      const deploy = await deployRun(better.runId);
      expectRefused(
        deploy,
        CHECK.exists,
        new RegExp(`^the folder demo/${better.runId} holds run\\.json of demo/${worse.runId}: a run copied or moved under another id`),
      );
      expect(deploy.result.stdout).toContain(`holds run.json of demo/${worse.runId}`);
    },
  );

  it('a run left by an attempt that failed, though a re-run of the workflow run succeeded', { timeout: 60_000 }, async () => {
    const ci = await evaluateInCi(); // attempt 1
    registerWorkflowRun(ci, { runAttempt: 2, earlierAttempts: { 1: { conclusion: 'failure' } } });
    expectRefused(
      await deployRun(ci.runId),
      CHECK.success,
      /^attempt 1, which made the run: status completed, conclusion failure; latest attempt 2: status completed, conclusion success$/,
    );
  });

  it(
    'a run made by a simulated CI job (LABBOOK_SIMULATED_CI, as npm run demo makes them), unless the deploy is simulated too',
    { timeout: 60_000 },
    async () => {
      const ci = await evaluateInCi({ env: { LABBOOK_SIMULATED_CI: 'true' } });
      registerWorkflowRun(ci);
      expectRefused(await deployRun(ci.runId), CHECK.ci, /^made by a simulated CI job \(LABBOOK_SIMULATED_CI\)/);
      const simulated = await deployAgainst(api, ci.runId, join(repo.root, 'simulated-deploy.env'), { LABBOOK_SIMULATED_CI: 'true' });
      expect(simulated.code, simulated.stdout).toBe(0);
    },
  );
});
