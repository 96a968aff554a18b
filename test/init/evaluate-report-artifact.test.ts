import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ACTION, FAKE_EVAL } from '../action/harness.ts';
import { seedInitRepository } from './init-project.ts';
import { tempDir } from '../helpers/temp-dir.ts';
import {
  bundledAction,
  checkoutAction,
  loadWorkflow,
  noopAction,
  recordingUploadArtifact,
  runWorkflow,
  type ActionHandler,
  type RecordedUpload,
  type Step,
} from '../helpers/workflow-runner.ts';

/**
 * The evaluate workflow `labbook init` writes, run job by job (test/helpers/workflow-runner.ts)
 * with the action from its bundle: on a push the merged run has no baseline and no report is
 * uploaded; on the pull request after it, the merge job's comparison is uploaded as an
 * artifact holding the HTML report. upload-artifact is emulated as the adoption test emulates
 * actions/cache, by the runner's recordingUploadArtifact: it records what it would upload, so
 * the test can open it.
 *
 * One change to the workflow as written: the evaluation command. `node eval.mjs` needs the
 * labbook package installed by `npm ci` (the adoption test does that, from a packed tarball);
 * here the action's fake evaluation (plain Node, the same LABBOOK_* contract) stands in, and
 * the `npm ci` step goes with it.
 */
const root = tempDir('labbook-init-report-');
const EXPERIMENT = 'support-bot';

function seedRepository(): { remote: string; sha: string } {
  return seedInitRepository(root, {
    experiment: EXPERIMENT,
    lang: 'js',
    edit: (seed) =>
      writeFileSync(
        join(seed, 'agent.yaml'),
        `${readFileSync(join(seed, 'agent.yaml'), 'utf8')}\n# read by the fake evaluation\naccuracy: 0.8\n`,
      ),
  });
}

describe('the evaluate workflow labbook init writes', () => {
  it(
    "uploads the merge job's HTML comparison as an artifact on a pull request, and none without a baseline",
    { timeout: 300_000 },
    async () => {
      const { remote, sha } = seedRepository();
      const workflow = loadWorkflow(join(root, 'seed', '.github', 'workflows', 'evaluate.yml'));
      const evaluateSteps = workflow.jobs.evaluate!.steps!;
      workflow.jobs.evaluate!.steps = evaluateSteps.filter((s: Step) => s.run !== 'npm ci');
      const labbook = workflow.jobs.evaluate!.steps.find((s: Step) => s.id === 'labbook')!;
      expect(labbook.with!.command).toBe('node eval.mjs');
      labbook.with!.command = `EVAL_EXAMPLES=60 "${process.execPath}" "${FAKE_EVAL}"`;

      // The step as the user gets it: the merge job writes the report and uploads it.
      const merge = workflow.jobs.merge!.steps!;
      expect(merge.find((s) => s.id === 'labbook')!.with).toMatchObject({ 'report-html': 'labbook-report.html' });
      expect(merge.find((s) => s.with?.path === '${{ steps.labbook.outputs.report-html-path }}')).toMatchObject({
        if: "${{ always() && steps.labbook.outputs.report-html-path != '' }}",
        uses: 'actions/upload-artifact@v4',
        with: { name: 'labbook-report-${{ steps.labbook.outputs.run-id }}', 'if-no-files-found': 'error' },
      });

      const machine = (event: 'push' | 'pull_request', runId: string, uploads: RecordedUpload[]) => ({
        remote,
        root: join(root, event),
        repository: 'Codertocat/Hello-World',
        sha,
        event,
        workflowFile: '.github/workflows/evaluate.yml',
        runId,
        apiUrl: 'http://127.0.0.1:9',
        branch: 'master',
        actions: {
          'actions/checkout': checkoutAction(remote),
          'actions/setup-node': noopAction,
          'acme/labbook/action': bundledAction(ACTION),
          'actions/upload-artifact': recordingUploadArtifact(uploads),
        } as Record<string, ActionHandler>,
      });
      const logsOf = (jobs: Awaited<ReturnType<typeof runWorkflow>>) =>
        Object.values(jobs)
          .flatMap((job) => job.runs.flatMap((run) => run.steps.map((step) => `${step.label}: ${step.outcome}\n${step.log}`)))
          .join('\n');

      const pushUploads: RecordedUpload[] = [];
      const push = await runWorkflow(workflow, machine('push', '501', pushUploads));
      expect(push.merge!.result, logsOf(push)).toBe('success');
      const baselineId = /pushed (\S+) to labbook-data/.exec(push.merge!.runs[0]!.steps.find((s) => s.label === 'labbook')!.log)?.[1];
      expect(baselineId).toMatch(/-agent-/);
      expect(logsOf(push)).toContain('no HTML report: no baseline');
      expect(pushUploads.filter((u) => u.name.startsWith('labbook-report-'))).toEqual([]);
      // The shards' evidence files were uploaded; the merge's not: with no GitHub API here
      // (apiUrl points nowhere) it could not check the shard runs it took, and a merged run
      // without evidence is never deployed (test/action/shards.test.ts has the API).
      expect(pushUploads.filter((u) => u.name.endsWith('.SHA256SUMS'))).toHaveLength(2);

      const prUploads: RecordedUpload[] = [];
      const pr = await runWorkflow(workflow, machine('pull_request', '502', prUploads));
      const logs = logsOf(pr);
      expect(pr.merge!.result, logs).toBe('success');
      const reports = prUploads.filter((u) => u.name.startsWith('labbook-report-'));
      expect(reports, logs).toHaveLength(1);
      const [report] = reports;
      expect(report!.job).toBe('merge');
      expect(report!.path).toMatch(/\/workspace\/labbook-report\.html$/);
      const html = report!.files['labbook-report.html']!;
      expect(html).toMatch(/^<!doctype html>/);
      expect(html).toContain(
        `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">`,
      );
      expect(html).toContain(`<title>${EXPERIMENT}: A agent vs B agent</title>`);
      const comparedWith = pr
        .merge!.runs[0]!.steps.find((s) => s.label === 'labbook')!
        .log.match(/wrote the HTML comparison with (\S+) to /)?.[1];
      expect(comparedWith).toBe(baselineId);
      expect(report!.name).toMatch(new RegExp(`^labbook-report-\\d{8}-\\d{6}-agent-`));
      expect(html).toContain(report!.name.replace('labbook-report-', ''));
      expect((html.match(/<svg /g) ?? []).length).toBeGreaterThanOrEqual(1);
    },
  );
});
