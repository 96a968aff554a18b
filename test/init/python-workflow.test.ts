import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runManifestSchema } from '../../schemas/run-manifest.ts';
import { initFiles } from '../../src/init/init-files.ts';
import { ACTION, git } from '../action/harness.ts';
import { tempDir } from '../helpers/temp-dir.ts';
import {
  bundledAction,
  checkoutAction,
  loadWorkflow,
  noopAction,
  recordingUploadArtifact,
  runWorkflow,
} from '../helpers/workflow-runner.ts';

/**
 * The evaluate workflow `labbook init --lang py` writes, run job by job as written (the
 * workflow runner, the action from its bundle): no Node set-up and no npm, the dependencies step
 * skipped for want of a requirements.txt, `python3 eval.py` in both shards, and the merge.
 * setup-python is the one step emulated as nothing: this machine's python3 stands for it.
 */
const root = tempDir('labbook-init-python-');

describe('the evaluate workflow labbook init --lang py writes', () => {
  it('evaluates with eval.py in two shards and merges them into one completed run', { timeout: 300_000 }, async () => {
    const seed = join(root, 'seed');
    mkdirSync(seed, { recursive: true });
    git(root, 'init', '-q', '-b', 'master', seed);
    const files = initFiles({
      experiment: 'bot',
      metrics: [{ name: 'correct', direction: 'higher', kind: 'boolean' }],
      lang: 'py',
      dataPath: 'experiments',
      dataBranch: 'labbook-data',
      defaultBranch: 'master',
      actionRepo: 'acme/labbook',
      actionRef: 'v9.9.9',
      version: '9.9.9',
    });
    for (const file of files) {
      mkdirSync(dirname(join(seed, file.path)), { recursive: true });
      writeFileSync(join(seed, file.path), file.text);
    }
    git(seed, 'add', '.');
    git(seed, '-c', 'user.name=dev', '-c', 'user.email=dev@example.invalid', 'commit', '-q', '-m', 'labbook init --lang py');
    const remote = join(root, 'remote.git');
    execFileSync('git', ['init', '-q', '--bare', '-b', 'master', remote]);
    git(seed, 'push', '-q', remote, 'master');

    const workflow = loadWorkflow(join(seed, '.github', 'workflows', 'evaluate.yml'));
    const jobs = await runWorkflow(workflow, {
      remote,
      root: join(root, 'machine'),
      repository: 'Codertocat/Hello-World',
      sha: git(seed, 'rev-parse', 'HEAD').trim(),
      event: 'push',
      workflowFile: '.github/workflows/evaluate.yml',
      runId: '601',
      apiUrl: 'http://127.0.0.1:9',
      branch: 'master',
      actions: {
        'actions/checkout': checkoutAction(remote),
        'actions/setup-python': noopAction,
        'acme/labbook/action': bundledAction(ACTION),
        'actions/upload-artifact': recordingUploadArtifact([]),
      },
    });
    const logs = Object.values(jobs)
      .flatMap((job) => job.runs.flatMap((run) => run.steps.map((step) => `${step.label}: ${step.outcome}\n${step.log}`)))
      .join('\n');
    expect(jobs.evaluate!.result, logs).toBe('success');
    expect(jobs.merge!.result, logs).toBe('success');
    // Both shards ran eval.py as written; the dependencies step found no requirements.txt.
    expect(jobs.evaluate!.runs.map((run) => run.steps.find((s) => s.label === 'Install dependencies')!.outcome)).toEqual([
      'success',
      'success',
    ]);
    const merged = /pushed (\S+) to labbook-data/.exec(jobs.merge!.runs[0]!.steps.find((s) => s.label === 'labbook')!.log)?.[1];
    expect(merged, logs).toBeDefined();
    const manifest = runManifestSchema.parse(JSON.parse(git(remote, 'show', `labbook-data:experiments/bot/runs/${merged}/run.json`)));
    expect(manifest).toMatchObject({ status: 'completed', counts: { traces: 5, errors: 0 } });
    expect(manifest.merge).toMatchObject({ shards: [{ index: 1 }, { index: 2 }], missing: [] });
  });
});
