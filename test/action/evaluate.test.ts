import { cp } from 'node:fs/promises';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { chmod, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runManifestSchema } from '../../schemas/run-manifest.ts';
import { startFakeGithub, type FakeGithub } from '../github-api/fake-github.ts';
import { createTestRepo, evalCommand, git, REPOSITORY, runAction } from './harness.ts';
import { tracesOnRef } from '../helpers/run-traces.ts';
import { readPlainTraces } from '../../src/store/trace-storage.ts';

/**
 * The bundled action, run as the runner runs it, against a bare git remote on disk and a
 * local stand-in for GitHub's REST API. Runs once under this Node.js and once more under
 * Node 24 (GitHub's runtime for `node24` actions) when LABBOOK_NODE24 names its binary.
 */
const NODES: Array<[string, string]> = [[`node ${process.versions.node}`, process.execPath]];
if (process.env.LABBOOK_NODE24) NODES.push(['node 24 (LABBOOK_NODE24)', process.env.LABBOOK_NODE24]);

const TOKEN = 'ghs_test_token';

describe.each(NODES)('the action under %s', (_label, node) => {
  let api: FakeGithub;
  beforeAll(async () => {
    api = await startFakeGithub({ repository: REPOSITORY, pagesUrl: 'https://codertocat.github.io/Hello-World/' });
  });
  afterAll(async () => {
    await api.close();
  });

  const inputs = (extra: Record<string, string> = {}) => ({
    experiment: 'demo',
    config: 'configs/baseline.yaml',
    command: evalCommand(),
    'github-token': TOKEN,
    ...extra,
  });

  it('evaluates on push: runs the command, seals the run, pushes it, writes the evidence file and the summary', async () => {
    const repo = await createTestRepo();
    const before = api.requests.length;
    // The step's env: (a model key from the repository's secrets, say) reaches the command.
    const run = await runAction({ repo, node, apiUrl: api.url, inputs: inputs(), env: { OPENAI_API_KEY: 'sk-from-secrets' } });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const { outputs } = run;
    expect(outputs).toMatchObject({
      status: 'completed',
      pushed: 'true',
      regressions: '[]',
      'site-url': 'https://codertocat.github.io/Hello-World/',
    });
    expect(JSON.parse(outputs.metrics!).traces.count).toBe(60);

    // The run folder arrived on the branch the job ran for, with the commit that says so.
    const runPath = `experiments/demo/runs/${outputs['run-id']}`;
    expect(git(repo.remote, 'rev-parse', 'master').trim()).toBe(outputs['data-commit']);
    expect(git(repo.remote, 'ls-tree', '--name-only', `master:${runPath}`).trim().split('\n')).toEqual([
      'SHA256SUMS',
      'config.yaml',
      'metrics.json',
      'run.json',
      'traces',
    ]);
    expect(git(repo.remote, 'ls-tree', '--name-only', `master:${runPath}/traces`).trim().split('\n')).toEqual(['00000.jsonl.gz']);
    const manifest = runManifestSchema.parse(JSON.parse(git(repo.remote, 'show', `master:${runPath}/run.json`)));
    expect(manifest.source).toMatchObject({
      kind: 'ci',
      repository: REPOSITORY,
      workflowRunId: '4242',
      workflowRunAttempt: '1',
      job: 'evaluate',
      sha: repo.sha,
      event: 'push',
      ref: 'refs/heads/master',
    });
    expect(manifest.code.commit).toBe(repo.sha);
    expect(manifest.process?.exitCode).toBe(0);

    // The evidence file for deploy: a copy of SHA256SUMS named for the run, in the runner's temp
    // folder, for the workflow's upload-artifact step. No commit status is set any more.
    const sums = git(repo.remote, 'show', `master:${runPath}/SHA256SUMS`);
    expect(outputs['evidence-path']).toMatch(new RegExp(`/tmp/labbook-evidence/labbook-demo-${outputs['run-id']}\\.SHA256SUMS$`));
    expect(readFileSync(outputs['evidence-path']!, 'utf8')).toBe(sums);
    const requests = api.requests.slice(before);
    expect(requests.some((r) => r.path.includes('/statuses/'))).toBe(false);
    expect(requests.some((r) => r.path.includes('/comments'))).toBe(false); // a push has no pull request

    expect(run.summary).toContain('## 🧪 demo · baseline');
    expect(run.summary).toContain('No baseline: no completed CI run of baseline on master yet.');
    expect(run.summary).toMatch(/\| correct \| \d+\.\d% \[/);
    expect(run.summary).toContain(`(https://codertocat.github.io/Hello-World/experiments/demo/runs/${outputs['run-id']}/)`);
    // The token is masked in the log; the user's command sees neither the inputs nor the runner's tokens.
    expect(run.stdout.split('\n').filter((line) => line.includes(TOKEN))).toEqual([`::add-mask::${TOKEN}`]);
    expect(manifest.process?.stdoutTail).toContain('action-only variables visible: 0');
    expect(manifest.process?.stdoutTail).toContain('model key: sk-from-secrets');
  });

  it(
    'on a pull request compares with the default branch, comments once then updates, and gates regressions after the push',
    { timeout: 120_000 },
    async () => {
      const repo = await createTestRepo();
      const issue = 2; // the recorded payload's pull request
      api.comments.delete(issue);
      for (let i = 0; i < 130; i++) api.addComment(issue, `an unrelated comment ${i}`); // two pages of 100
      const data = { 'data-branch': 'labbook-data', command: evalCommand('EVAL_EXAMPLES=200') };

      const first = await runAction({ repo, node, apiUrl: api.url, inputs: inputs(data) });
      expect(first.code).toBe(0);
      const baselineId = first.outputs['run-id'];

      // A change on the pull request makes the agent worse.
      writeFileSync(join(repo.workspace, 'configs/baseline.yaml'), 'model: sim-1\nparams:\n  accuracy: 0.5\n');
      const before = api.requests.length;
      const second = await runAction({
        repo,
        node,
        apiUrl: api.url,
        event: 'pull_request',
        inputs: inputs({ ...data, 'fail-on-regression': 'true' }),
      });
      expect(second.code).toBe(1);
      expect(second.outputs).toMatchObject({ status: 'completed', pushed: 'true', 'baseline-run-id': baselineId });
      expect(JSON.parse(second.outputs.regressions!).map((r: { metric: string }) => r.metric)).toEqual(['correct', 'quality']);
      expect(second.stdout).toMatch(/::error::2 metrics got significantly worse than .*correct: /s);
      // Pushed before the gate failed the step.
      expect(git(repo.remote, 'ls-tree', '--name-only', 'labbook-data:experiments/demo/runs').trim().split('\n')).toEqual(
        [baselineId, second.outputs['run-id']].sort(),
      );
      expect(second.summary).toContain('**Regressions**');
      expect(second.summary).toMatch(/\| correct \(primary\) · higher is better \| .* \| 🔴 worse \|/);

      const lists = api.requests
        .slice(before)
        .filter((r) => r.method === 'GET' && r.path === `/repos/${REPOSITORY}/issues/${issue}/comments`);
      expect(lists.map((r) => r.query.page ?? '1')).toEqual(['1', '2']);
      const ours = () => api.comments.get(issue)!.filter((c) => c.body?.includes('<!-- labbook:demo:baseline -->'));
      expect(ours()).toHaveLength(1);
      const created = ours()[0]!;
      expect(created.body).toContain(second.outputs['run-id']);

      // Evaluated again: the same comment is updated, not duplicated.
      const third = await runAction({ repo, node, apiUrl: api.url, event: 'pull_request', inputs: inputs(data) });
      expect(third.code).toBe(0);
      expect(ours()).toHaveLength(1);
      expect(ours()[0]!.id).toBe(created.id);
      expect(ours()[0]!.body).toContain(third.outputs['run-id']);
      const writes = api.requests.slice(before).filter((r) => r.path.includes('/comments') && r.method !== 'GET');
      expect(writes.map((r) => `${r.method} ${r.path}`)).toEqual([
        `POST /repos/${REPOSITORY}/issues/${issue}/comments`,
        `PATCH /repos/${REPOSITORY}/issues/comments/${created.id}`,
      ]);
      expect(third.outputs['comment-url']).toBe(created.html_url);
    },
  );

  it('on a pull request from a fork neither pushes nor comments, says why, and succeeds', async () => {
    const repo = await createTestRepo();
    const before = api.requests.length;
    const run = await runAction({
      repo,
      node,
      apiUrl: api.url,
      event: 'pull_request_from_fork',
      inputs: inputs({ 'data-branch': 'labbook-data' }),
    });
    expect(run.code).toBe(0);
    expect(run.outputs).toMatchObject({ status: 'completed', pushed: 'false' });
    expect(existsSync(run.outputs['run-dir']!)).toBe(true);
    expect(run.stdout).toContain('::notice::This pull request comes from a fork');
    expect(git(repo.remote, 'branch', '--list', 'labbook-data').trim()).toBe('');
    expect(api.requests.slice(before).filter((r) => r.method !== 'GET')).toEqual([]);
    expect(run.summary).toContain('not pushed: pull requests from forks have a read-only token');
  });
});

describe('the action with bad input or a failing job', () => {
  it('creates a missing data branch as an orphan holding only runs', async () => {
    const repo = await createTestRepo();
    const run = await runAction({
      repo,
      inputs: { experiment: 'demo', config: 'configs/worse.yaml', command: evalCommand(), 'data-branch': 'labbook-data' },
    });
    expect(run.code).toBe(0);
    expect(git(repo.remote, 'rev-list', '--count', 'labbook-data').trim()).toBe('1');
    const files = git(repo.remote, 'ls-tree', '-r', '--name-only', 'labbook-data').trim().split('\n');
    expect(files.every((f) => f.startsWith('experiments/demo/'))).toBe(true);
    expect(git(repo.remote, 'rev-parse', 'master').trim()).toBe(repo.sha);
  });

  it('compares with the run or the branch that the baseline input names', async () => {
    const repo = await createTestRepo();
    const inputs = { experiment: 'demo', config: 'configs/baseline.yaml', command: evalCommand() };
    const first = await runAction({ repo, inputs });
    const second = await runAction({ repo, inputs });
    expect(second.outputs['baseline-run-id']).toBe(first.outputs['run-id']);
    const latest = await runAction({ repo, inputs });
    expect(latest.outputs['baseline-run-id']).toBe(second.outputs['run-id']); // the latest by default
    const byId = await runAction({ repo, inputs: { ...inputs, baseline: first.outputs['run-id']!.slice(-12) } });
    expect(byId.outputs['baseline-run-id']).toBe(first.outputs['run-id']);
    expect(byId.summary).toContain(
      `Compared with \`${first.outputs['run-id']}\` (the run the baseline input \`${first.outputs['run-id']!.slice(-12)}\` names)`,
    );
    const byBranch = await runAction({ repo, inputs: { ...inputs, baseline: 'release' } });
    expect(byBranch.code).toBe(0);
    expect(byBranch.outputs['baseline-run-id']).toBeUndefined();
    expect(byBranch.summary).toContain('No baseline: no completed CI run of baseline on release yet.');
    // A run whose command recorded nothing has failed, and is no baseline: the one before it is.
    const empty = await runAction({ repo, inputs: { ...inputs, command: 'true', otlp: 'false' } });
    expect(empty.code, empty.stderr).toBe(1);
    expect(empty.outputs).toMatchObject({ status: 'failed', pushed: 'true' });
    const after = await runAction({ repo, inputs });
    expect(after.outputs['baseline-run-id']).toBe(byBranch.outputs['run-id']);
  });

  it('pushes a failed run with the traces written before the command crashed, then fails', async () => {
    const repo = await createTestRepo();
    const run = await runAction({
      repo,
      inputs: { experiment: 'demo', config: 'configs/baseline.yaml', command: evalCommand('EVAL_CRASH_AFTER=7') },
    });
    expect(run.code).toBe(1);
    expect(run.outputs).toMatchObject({ status: 'failed', pushed: 'true' });
    expect(run.stdout).toContain(`::error::the run ${run.outputs['run-id']} failed: the command exited with code 1`);
    const manifest = JSON.parse(git(repo.remote, 'show', `master:experiments/demo/runs/${run.outputs['run-id']}/run.json`));
    expect(manifest).toMatchObject({ status: 'failed', counts: { traces: 7 }, process: { exitCode: 1 } });
    expect(manifest.process.stderrTail).toContain('crashing after 7 traces');
  });

  it('fails the run, saying how traces get into one, when the command recorded none', async () => {
    const repo = await createTestRepo();
    const run = await runAction({ repo, inputs: { experiment: 'demo', config: 'configs/baseline.yaml', command: 'true', otlp: 'false' } });
    expect(run.code).toBe(1);
    expect(run.stdout).toContain(`::error::the run ${run.outputs['run-id']} failed: the command recorded no traces`);
    expect(run.stdout).toContain('::warning::the command recorded no traces. A run takes what the Labbook SDK writes to the run');
    expect(run.stdout).toContain('with otlp: false, spans an OpenTelemetry exporter sends are not received');
  });

  it('keeps an empty shard completed when the dataset gives it no example, and fails one it gives some', async () => {
    const repo = await createTestRepo();
    await writeFile(join(repo.workspace, 'one.jsonl'), '{"id":"a","input":"x"}\n'); // "a" hashes to shard 1 of 2
    const inputs = { experiment: 'demo', config: 'configs/baseline.yaml', command: 'true', otlp: 'false', dataset: 'one.jsonl' };
    const idle = await runAction({ repo, inputs: { ...inputs, shard: '2/2' } });
    expect(idle.code, idle.stdout).toBe(0);
    expect(idle.outputs.status).toBe('completed');
    expect(idle.stdout).toContain("::notice::shard 2/2 takes none of the dataset's 1 example");
    expect(idle.stdout).not.toContain('::warning::the command recorded no traces');
    const owed = await runAction({ repo, inputs: { ...inputs, shard: '1/2' } });
    expect(owed.code).toBe(1);
    expect(owed.outputs.status).toBe('failed');
  });

  it('refuses a dataset line that is not JSON before running the command, annotating the line', async () => {
    const repo = await createTestRepo();
    await writeFile(join(repo.workspace, 'broken.jsonl'), '{"id":"a","input":"x"}\n{"id":"b", input: 2}\n');
    const run = await runAction({
      repo,
      inputs: { experiment: 'demo', config: 'configs/baseline.yaml', command: 'touch ran', dataset: 'broken.jsonl' },
    });
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('::error title=invalid file,file=broken.jsonl,line=2,col=12::malformed JSON');
    expect(existsSync(join(repo.workspace, 'ran'))).toBe(false); // the command never ran
  });

  it('ingests a traces file instead of running a command', async () => {
    const repo = await createTestRepo();
    const produced = await runAction({
      repo,
      inputs: { experiment: 'demo', config: 'configs/baseline.yaml', command: evalCommand(), 'data-branch': 'scratch' },
    });
    await writeFile(join(repo.workspace, 'traces.jsonl'), await readPlainTraces(produced.outputs['run-dir']!));
    const run = await runAction({ repo, inputs: { experiment: 'imported', config: 'configs/baseline.yaml', traces: 'traces.jsonl' } });
    expect(run.code).toBe(0);
    expect(run.outputs.status).toBe('completed');
    expect(JSON.parse(run.outputs.metrics!).traces.count).toBe(60);
    expect(tracesOnRef(repo.remote, 'master', `experiments/imported/runs/${run.outputs['run-id']}`)).toBe(
      readFileSync(join(repo.workspace, 'traces.jsonl'), 'utf8'),
    );
  });

  it.each([
    ['otlp', 'otlp-genai-chat-tool.json'],
    ['mlflow', 'mlflow'],
  ])('ingests %s traces through the importers (traces-format)', async (format, sample) => {
    const repo = await createTestRepo();
    await cp(join(import.meta.dirname, '..', 'fixtures', 'interop', sample), join(repo.workspace, sample), { recursive: true });
    const run = await runAction({
      repo,
      inputs: { experiment: 'imported', config: 'configs/baseline.yaml', traces: sample, 'traces-format': format },
    });
    expect(run.code, run.stdout).toBe(0);
    expect(run.stderr).toMatch(/span/i); // the importer's report of what it mapped
    const manifest = JSON.parse(git(repo.remote, 'show', `master:experiments/imported/runs/${run.outputs['run-id']}/run.json`));
    expect(manifest.status).toBe('completed');
    expect(manifest.counts.traces).toBeGreaterThan(0);
    expect(manifest.counts.spans).toBeGreaterThan(manifest.counts.traces);
  });

  it('refuses a traces-format the importers do not know, naming the input', async () => {
    const repo = await createTestRepo();
    const run = await runAction({
      repo,
      inputs: { experiment: 'demo', config: 'configs/baseline.yaml', traces: 'x.json', 'traces-format': 'zipkin' },
    });
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/input "traces-format" \("zipkin"\)/);
  });

  it('rejects a traces file with bad lines, naming file and line, and records nothing', async () => {
    const repo = await createTestRepo();
    const good = JSON.stringify({ id: 't1', exampleId: 'e1', input: 'q', start: 1, end: 2, durationMs: 1 });
    await writeFile(
      join(repo.workspace, 'bad.jsonl'),
      `${good}\n{"id": "t2", "exampleId": \n${good.replace('t1', 't3').replace('"durationMs":1', '"durationMs":-4')}\n`,
    );
    const run = await runAction({ repo, inputs: { experiment: 'demo', config: 'configs/baseline.yaml', traces: 'bad.jsonl' } });
    expect(run.code).toBe(1);
    const file = join(repo.workspace, 'bad.jsonl');
    expect(run.stdout).toContain(`::error title=invalid trace,file=${file},line=2::truncated JSON`);
    expect(run.stdout).toContain(`::error title=invalid trace,file=${file},line=3::`);
    expect(run.stdout).toMatch(/2 lines are not valid traces; nothing was recorded/);
    expect(existsSync(join(repo.workspace, 'experiments/demo/runs'))).toBe(false);
    expect(git(repo.remote, 'rev-parse', 'master').trim()).toBe(repo.sha);
  });

  it.each([
    [{ shard: '3/2' }, 'input "shard" ("3/2"): the shard index must be between 1 and 2'],
    [{ shard: '0/4' }, 'input "shard" ("0/4"): the shard index must be between 1 and 4'],
    [{ traces: 'x.jsonl' }, 'input "traces" ("x.jsonl"): give either "command" (run it) or "traces" (ingest a file), not both'],
    [{ command: '' }, 'input "command": evaluate mode needs "command"'],
    [{ mode: 'publish' }, 'input "mode" ("publish"): must be one of evaluate, merge, deploy'],
    [{ 'fail-on-regression': 'maybe' }, 'input "fail-on-regression" ("maybe"): expected true or false'],
  ])('refuses contradictory or malformed inputs: %o', async (extra, message) => {
    const repo = await createTestRepo();
    const run = await runAction({
      repo,
      inputs: { experiment: 'demo', config: 'configs/baseline.yaml', command: evalCommand(), ...extra },
    });
    expect(run.code).toBe(1);
    expect(run.stdout).toContain(`::error::${message}`);
    expect(git(repo.remote, 'rev-parse', 'master').trim()).toBe(repo.sha);
  });

  it('keeps the run and names its folder when the push is refused', async () => {
    const repo = await createTestRepo();
    const hook = join(repo.remote, 'hooks', 'pre-receive');
    await writeFile(hook, '#!/bin/sh\necho "GH006: Protected branch update failed for refs/heads/master." >&2\nexit 1\n');
    await chmod(hook, 0o755);
    const run = await runAction({ repo, inputs: { experiment: 'demo', config: 'configs/baseline.yaml', command: evalCommand() } });
    expect(run.code).toBe(1);
    expect(run.outputs).toMatchObject({ status: 'completed', pushed: 'false' });
    expect(run.stdout).toMatch(/::error::the run could not be pushed to master after 1 attempt: .*Protected branch.*It is kept in /s);
    expect(readFileSync(join(run.outputs['run-dir']!, 'SHA256SUMS'), 'utf8')).toMatch(/traces\/00000\.jsonl\.gz/);
    await rm(hook);
  });
});
