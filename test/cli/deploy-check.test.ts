import { gunzipSync, gzipSync } from 'node:zlib';
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHECK } from '../../src/deploy/eligibility.ts';
import { FAKE_EVAL } from '../action/harness.ts';
import { startFakeGithub, type FakeGithub } from '../github-api/fake-github.ts';
import { uploadArtifactStep } from '../github-api/upload-artifact-step.ts';
import { writeRunEvidence } from '../../src/deploy/run-evidence-file.ts';
import { runCli } from '../helpers/run-cli.ts';
import { tempDir } from '../helpers/temp-dir.ts';

/**
 * `labbook deploy check` against the local stand-in for GitHub's REST API. The runs are made by
 * `labbook run` itself, once with the runner's variables (a CI run) and once without (a local run).
 */
const REPOSITORY = 'octo/agent';
const repo = tempDir('labbook-deploy-check-');
let api: FakeGithub;
let sha = '';
let ciRun = '';
let localRun = '';

const baseEnv = { PATH: process.env.PATH, HOME: process.env.HOME, EVAL_EXAMPLES: '10' };
const apiEnv = () => ({ ...baseEnv, GITHUB_TOKEN: 'ghp_person', GITHUB_API_URL: api.url, GITHUB_REPOSITORY: REPOSITORY });

async function labbookRun(env: NodeJS.ProcessEnv): Promise<string> {
  const made = await runCli(['run', '-e', 'demo', '--create', '-c', 'configs/baseline.yaml', '--', process.execPath, FAKE_EVAL], {
    cwd: repo,
    env: { ...baseEnv, ...env },
  });
  expect(made.code, made.stderr).toBe(0);
  return /run (\S+) completed/.exec(made.stdout)![1]!;
}

beforeAll(async () => {
  // The repository itself stands for GitHub's copy: its branches and history answer the branch checks.
  api = await startFakeGithub({ repository: REPOSITORY, defaultBranch: 'main', gitRemote: repo });
  const git = (...args: string[]) => execFileSync('git', ['-C', repo, ...args], { encoding: 'utf8' }).trim();
  execFileSync('git', ['init', '-q', '-b', 'main', repo]);
  execFileSync('mkdir', ['-p', join(repo, 'configs')]);
  writeFileSync(join(repo, 'configs', 'baseline.yaml'), 'model: sim-1\nparams:\n  accuracy: 0.8\n');
  writeFileSync(join(repo, '.gitignore'), 'experiments/\n');
  git('add', '.');
  git('-c', 'user.name=t', '-c', 'user.email=t@e', 'commit', '-qm', 'the agent');
  sha = git('rev-parse', 'HEAD');
  // The runner's variables, as a job of the evaluation workflow would have them.
  ciRun = await labbookRun({
    GITHUB_ACTIONS: 'true',
    GITHUB_REPOSITORY: REPOSITORY,
    GITHUB_RUN_ID: '777',
    GITHUB_RUN_ATTEMPT: '1',
    GITHUB_SHA: sha,
    GITHUB_WORKFLOW: 'evaluate',
    GITHUB_JOB: 'evaluate',
    GITHUB_EVENT_NAME: 'push',
    GITHUB_REF: 'refs/heads/main',
    GITHUB_ACTOR: 'octocat',
  });
  localRun = await labbookRun({});
  api.addWorkflowRun({ id: 777, headSha: sha, headBranch: 'main' });
  // The job's record of the run's contents: the evidence file the action writes, uploaded as an
  // artifact of workflow run 777 by the workflow's upload-artifact step.
  const evidence = await writeRunEvidence(join(repo, 'experiments', 'demo', 'runs', ciRun), tempDir('labbook-evidence-'), 'demo', ciRun);
  uploadArtifactStep(api, 777, evidence);
});
afterAll(async () => {
  await api.close();
});

describe('labbook deploy check', () => {
  it('passes a CI run every check, as a table, and exits 0', async () => {
    const result = await runCli(['deploy', 'check', '--run', ciRun], { cwd: repo, env: apiEnv() });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const lines = result.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^check\s+result\s+detail$/);
    for (const name of Object.values(CHECK).filter((n) => n !== CHECK.attestation))
      expect(result.stdout).toMatch(new RegExp(`^${name}\\s+pass\\s`, 'm'));
    expect(lines.at(-1)).toBe('eligible for deployment');
    // The workflow run's own artifacts were read, by the evidence's name, with the token given.
    const reads = api.requests.filter((r) => r.path === `/repos/${REPOSITORY}/actions/runs/777/artifacts`);
    expect(reads.at(-1)).toMatchObject({
      query: { name: `labbook-demo-${ciRun}.SHA256SUMS`, per_page: '100', page: '1' },
      authorization: 'token ghp_person',
    });
  });

  it('prints JSON with --json, and names the failed checks of a local run (exit 1)', async () => {
    const result = await runCli(['deploy', 'check', '--run', localRun, '--json'], { cwd: repo, env: apiEnv() });
    expect(result.code).toBe(1);
    const report = JSON.parse(result.stdout);
    expect(report).toMatchObject({ run: localRun, eligible: false, offline: false });
    expect(
      report.checks.filter((c: { ok: boolean; skipped?: boolean }) => !c.ok && !c.skipped).map((c: { name: string }) => c.name),
    ).toEqual([CHECK.ci]);
    expect(report.checks.find((c: { name: string }) => c.name === CHECK.recorded)).toMatchObject({ ok: false, skipped: true });
  });

  it('runs only the checks that need no API with --offline, and says a CI claim is not verifiable there (exit 1)', async () => {
    const result = await runCli(['deploy', 'check', '--run', ciRun, '--offline'], { cwd: repo, env: baseEnv });
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(
      new RegExp(
        `^${CHECK.ci}\\s+skipped\\s+not checked: source: ci claimed \\(octo/agent workflow run 777\\); not verifiable offline$`,
        'm',
      ),
    );
    expect(result.stdout).toMatch(new RegExp(`^${CHECK.recorded}\\s+skipped\\s+not checked: not verifiable offline`, 'm'));
    expect(result.stdout).not.toMatch(/\spass\s+.*workflow run 777/);
    expect(result.stdout.trim().split('\n').at(-1)).toBe(
      'NOT verified: no check failed, but source: ci is claimed and not verifiable offline (run without --offline to ask GitHub)',
    );
    expect(api.requests.length).toBeGreaterThan(0); // (the server exists) but offline asks it nothing:
    const before = api.requests.length;
    const json = await runCli(['deploy', 'check', '--run', ciRun, '--offline', '--json'], { cwd: repo, env: baseEnv });
    expect(JSON.parse(json.stdout)).toMatchObject({ eligible: false, offline: true });
    expect(api.requests.length).toBe(before);
    const local = await runCli(['deploy', 'check', '--run', localRun, '--offline'], { cwd: repo, env: baseEnv });
    expect(local.code).toBe(1);
    expect(local.stdout).toMatch(new RegExp(`^${CHECK.ci}\\s+FAIL\\s+made on .* \\(local\\)`, 'm'));
    expect(local.stdout.trim().split('\n').at(-1)).toBe('NOT eligible for deployment');
  });

  it('refuses a run whose trace file changed, and one that does not exist', async () => {
    const traces = join(repo, 'experiments', 'demo', 'runs', ciRun, 'traces/00000.jsonl.gz');
    const original = readFileSync(traces);
    writeFileSync(traces, gzipSync(gunzipSync(original).toString('utf8').replace('"question 1"', '"question one"')));
    try {
      const result = await runCli(['deploy', 'check', '--run', ciRun], { cwd: repo, env: apiEnv() });
      expect(result.code).toBe(1);
      expect(result.stdout).toMatch(new RegExp(`^${CHECK.sums}\\s+FAIL\\s+traces\\/00000\\.jsonl\\.gz changed$`, 'm'));
      expect(result.stdout).toMatch(new RegExp(`^${CHECK.recorded}\\s+pass\\s`, 'm')); // SHA256SUMS itself is untouched
    } finally {
      writeFileSync(traces, original);
    }
    const missing = await runCli(['deploy', 'check', '--run', 'no-such-run-at-all'], { cwd: repo, env: apiEnv() });
    expect(missing.code).toBe(1);
    expect(missing.stdout).toMatch(new RegExp(`^${CHECK.exists}\\s+FAIL\\s+`, 'm'));
  });

  it('takes the default branch from GitHub, and other branches with --allowed-branches', async () => {
    const onlyRelease = await runCli(['deploy', 'check', '--run', ciRun, '--allowed-branches', 'release/*'], { cwd: repo, env: apiEnv() });
    expect(onlyRelease.code).toBe(1);
    expect(onlyRelease.stdout).toMatch(new RegExp(`^${CHECK.branch}\\s+FAIL\\s+main \\(allowed: release/\\*\\)$`, 'm'));
    const any = await runCli(['deploy', 'check', '--run', ciRun, '--allowed-branches', '*'], { cwd: repo, env: apiEnv() });
    expect(any.stdout).toMatch(new RegExp(`^${CHECK.branch}\\s+pass\\s+main \\(any branch allowed\\)$`, 'm'));
    const byDefault = await runCli(['deploy', 'check', '--run', ciRun], { cwd: repo, env: apiEnv() });
    expect(byDefault.stdout).toMatch(new RegExp(`^${CHECK.branch}\\s+pass\\s+main \\(allowed: main, gh-readonly-queue/main/\\*\\)$`, 'm'));
  });

  it('says what is missing for the API checks (exit 2), and names a failed API request (exit 1)', async () => {
    const noToken = await runCli(['deploy', 'check', '--run', ciRun], { cwd: repo, env: { ...baseEnv, GITHUB_REPOSITORY: REPOSITORY } });
    expect(noToken).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('the API checks need GITHUB_TOKEN (or GH_TOKEN); use --offline'),
    });
    const noRepo = await runCli(['deploy', 'check', '--run', ciRun], { cwd: repo, env: { ...baseEnv, GITHUB_TOKEN: 'x' } });
    expect(noRepo).toMatchObject({ code: 2, stderr: expect.stringContaining('cannot tell the repository') });
    const otherRepo = await runCli(['deploy', 'check', '--run', ciRun, '--repository', 'octo/elsewhere'], { cwd: repo, env: apiEnv() });
    expect(otherRepo).toMatchObject({
      code: 1,
      stderr: expect.stringMatching(/^labbook deploy: GitHub API GET \/repos\/octo\/elsewhere failed \(404\): Not Found/),
    });
    const noRun = await runCli(['deploy', 'check'], { cwd: repo, env: baseEnv });
    expect(noRun).toMatchObject({ code: 2, stderr: expect.stringContaining('--run is required') });
  });

  it('gives up on an API that never answers after LABBOOK_GITHUB_TIMEOUT seconds, naming the request (exit 1)', async () => {
    const hanging = await startFakeGithub({ repository: REPOSITORY, hang: /^\/repos\/octo\/agent$/ });
    try {
      const env = { ...apiEnv(), GITHUB_API_URL: hanging.url };
      const result = await runCli(['deploy', 'check', '--run', ciRun], { cwd: repo, env: { ...env, LABBOOK_GITHUB_TIMEOUT: '1' } });
      expect(result).toMatchObject({
        code: 1,
        stderr: expect.stringMatching(/^labbook deploy: GitHub API GET \/repos\/octo\/agent failed: no answer within 1 s/),
      });
      expect(hanging.requests.map((request) => request.path)).toContain('/repos/octo/agent');
      const wrong = await runCli(['deploy', 'check', '--run', ciRun], { cwd: repo, env: { ...env, LABBOOK_GITHUB_TIMEOUT: 'soon' } });
      expect(wrong).toMatchObject({
        code: 2,
        stderr: expect.stringContaining('LABBOOK_GITHUB_TIMEOUT must be a number of seconds above 0, got "soon"'),
      });
    } finally {
      await hanging.close();
    }
  });
});
