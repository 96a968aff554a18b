import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runManifestSchema } from '../../schemas/run-manifest.ts';
import { ACTION, git } from '../action/harness.ts';
import { seedInitRepository } from './init-project.ts';
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
    const { seed, remote, sha } = seedInitRepository(root, { experiment: 'bot', lang: 'py' });
    const workflow = loadWorkflow(join(seed, '.github', 'workflows', 'evaluate.yml'));
    const jobs = await runWorkflow(workflow, {
      remote,
      root: join(root, 'machine'),
      repository: 'Codertocat/Hello-World',
      sha,
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
