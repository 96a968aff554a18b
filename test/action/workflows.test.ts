import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import yaml from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { INPUT_NAMES } from '../../action/src/inputs.ts';
import { ROOT } from './harness.ts';
import { startFakeGithub } from '../github-api/fake-github.ts';
import { tempDir } from '../helpers/temp-dir.ts';

type Step = { id?: string; uses?: string; run?: string; with?: Record<string, unknown>; env?: Record<string, string> };
type Job = { permissions?: Record<string, string>; environment?: unknown; steps?: Step[] };
type Workflow = { on?: any; permissions?: unknown; concurrency?: Record<string, unknown>; jobs: Record<string, Job> };

const load = (file: string) => yaml.load(readFileSync(join(ROOT, file), 'utf8')) as Record<string, any>;
const workflow = (name: string) => load(`.github/workflows/${name}.yml`) as Workflow;
const action = load('action/action.yml');

/** Expressions that put text an outsider controls into a command line. */
const UNTRUSTED =
  /\$\{\{[^}]*(github\.event\.(pull_request|issue|comment|review|head_commit|commits|workflow_run\.head_branch)|github\.head_ref|inputs\.)[^}]*\}\}/;

describe('action.yml', () => {
  it('declares exactly the inputs the action parses, and runs the bundle on node24', () => {
    expect(Object.keys(action.inputs).sort()).toEqual([...INPUT_NAMES].sort());
    expect(action.runs).toEqual({ using: 'node24', main: 'dist/index.js' });
  });
});

describe('action.yml outputs', () => {
  it('are exactly the outputs the action sets', () => {
    const main = readFileSync(join(ROOT, 'action/src/main.ts'), 'utf8');
    const set = new Set([...main.matchAll(/core\.setOutput\('([a-z-]+)'/g)].map((m) => m[1]!));
    expect([...set].sort()).toEqual(Object.keys(action.outputs).sort());
  });
});

describe.each(['ci', 'evaluate', 'pages', 'deploy'])('.github/workflows/%s.yml', (name) => {
  const wf = workflow(name);
  const steps = Object.values(wf.jobs).flatMap((job) => job.steps ?? []);

  it('never interpolates untrusted text into a run: line', () => {
    for (const step of steps) if (step.run) expect(step.run).not.toMatch(UNTRUSTED);
  });

  it('sets least-privilege permissions', () => {
    expect(wf.permissions).toBeDefined();
    if (name !== 'ci') expect(wf.permissions).toEqual({});
    for (const job of Object.values(wf.jobs)) if (name !== 'ci') expect(job.permissions, 'each job names its permissions').toBeDefined();
  });

  it('passes only inputs the action knows', () => {
    for (const step of steps.filter((s) => s.uses === './action')) {
      for (const input of Object.keys(step.with ?? {})) expect(INPUT_NAMES).toContain(input);
    }
  });
});

describe('evaluate.yml', () => {
  const wf = workflow('evaluate');
  it('queues instead of cancelling, so no data commit is dropped', () => {
    expect(wf.concurrency).toMatchObject({ queue: 'max' });
    expect(wf.concurrency?.['cancel-in-progress']).toBeUndefined();
  });
  it('shards every config and merges each', () => {
    expect((wf.jobs.evaluate as any).strategy.matrix.shard).toEqual(['1/2', '2/2']);
    expect((wf.jobs.merge as any).steps.find((s: Step) => s.uses === './action').with.mode).toBe('merge');
    expect(wf.jobs.merge!.permissions).toEqual({ contents: 'write', 'pull-requests': 'write', actions: 'read', pages: 'read' });
    expect(wf.jobs.evaluate!.permissions).toEqual({ contents: 'write' });
  });
});

describe("evaluate.yml: deploy's evidence", () => {
  const wf = workflow('evaluate');
  /** Permissions that would let a job create what deploy or a reader takes as the CI job's word. */
  const EVIDENCE_WRITES = ['statuses', 'checks', 'id-token', 'attestations'];

  it("uploads the action's evidence file right after each labbook step, unzipped", () => {
    expect(Object.keys(action.outputs)).toContain('evidence-path');
    for (const name of ['evaluate', 'merge']) {
      const steps = wf.jobs[name]!.steps!;
      const labbook = steps.findIndex((s) => s.uses === './action');
      const upload = steps[labbook + 1]!;
      expect(upload.uses, name).toBe('actions/upload-artifact@v7');
      expect(upload.with).toEqual({ path: '${{ steps.labbook.outputs.evidence-path }}', archive: false, 'if-no-files-found': 'error' });
      expect((upload as { if?: string }).if).toBe("${{ always() && steps.labbook.outputs.evidence-path != '' }}");
    }
  });

  it("gives no job that runs the repository's code (a pull request's, on pull_request) a permission that writes evidence", () => {
    for (const [name, job] of Object.entries(wf.jobs)) {
      const writes = Object.entries(job.permissions ?? {}).filter(([scope, level]) => EVIDENCE_WRITES.includes(scope) && level === 'write');
      if (writes.length === 0) continue;
      // Only the attest job, which never runs on pull requests and runs no checkout and no ./action.
      expect(name).toBe('attest');
      expect((job as { if?: string }).if).toContain("github.event_name != 'pull_request'");
      expect((job.steps ?? []).some((s) => s.uses === './action' || s.uses?.startsWith('actions/checkout'))).toBe(false);
    }
  });

  it("attests exactly the run digests GitHub lists for this workflow run's evidence artifacts, over every page", async () => {
    const api = await startFakeGithub({ repository: 'octo/agent' });
    const dir = tempDir('labbook-attest-subjects-');
    try {
      api.addWorkflowRun({ id: 4242, headSha: 'a'.repeat(40) });
      api.addWorkflowRun({ id: 4343, headSha: 'a'.repeat(40) });
      const expected: string[] = [];
      for (let i = 0; i < 130; i++) {
        const hex = createHash('sha256').update(`sums ${i}`).digest('hex');
        api.uploadArtifact(4242, { name: `labbook-demo-run-${i}.SHA256SUMS`, digest: `sha256:${hex}` });
        expected.push(`${hex}  labbook-demo-run-${i}.SHA256SUMS`);
      }
      api.uploadArtifact(4242, { name: 'labbook-run-x', digest: `sha256:${'1'.repeat(64)}` }); // a zipped run folder, not evidence
      api.uploadArtifact(4242, { name: 'labbook-demo-old.SHA256SUMS', digest: null }); // no digest: nothing to attest
      api.uploadArtifact(4343, { name: 'labbook-demo-elsewhere.SHA256SUMS', digest: `sha256:${'2'.repeat(64)}` }); // another workflow run's

      const step = wf.jobs.attest!.steps!.find((s) => s.id === 'subjects')!;
      const output = join(dir, 'output');
      writeFileSync(output, '');
      // Asynchronously: the fake GitHub answers from this process.
      const ran = await new Promise<{ code: number; stderr: string }>((resolve) => {
        execFile(
          'bash',
          ['--noprofile', '--norc', '-eo', 'pipefail', '-c', step.run!],
          {
            env: {
              PATH: process.env.PATH,
              GH_TOKEN: 'ghs_attest',
              GITHUB_API_URL: api.url,
              GITHUB_REPOSITORY: 'octo/agent',
              GITHUB_RUN_ID: '4242',
              RUNNER_TEMP: dir,
              GITHUB_OUTPUT: output,
            },
            timeout: 30_000,
          },
          (error, _stdout, stderr) => resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, stderr }),
        );
      });
      expect(ran.code, ran.stderr).toBe(0);
      expect(readFileSync(join(dir, 'labbook-subjects.txt'), 'utf8').trim().split('\n')).toEqual(expected);
      expect(readFileSync(output, 'utf8')).toBe(`file=${join(dir, 'labbook-subjects.txt')}\ncount=130\n`);
      expect(api.requests.filter((r) => r.path === '/repos/octo/agent/actions/runs/4242/artifacts').map((r) => r.query.page)).toEqual([
        '1',
        '2',
      ]);
    } finally {
      await api.close();
    }
  });
});

describe('deploy.yml', () => {
  const wf = workflow('deploy');
  const job = wf.jobs.deploy!;
  const steps = job.steps ?? [];
  const labbook = steps.find((s) => s.uses === './action')!;

  it('is dispatched by hand with a run and an environment, and gates the job on that environment', () => {
    expect(Object.keys(wf.on)).toEqual(['workflow_dispatch']);
    expect(wf.on.workflow_dispatch.inputs).toMatchObject({
      run: { type: 'string', required: true },
      environment: { type: 'environment', required: true },
    });
    expect(job.environment).toBe('${{ inputs.environment }}');
  });

  it('asks for exactly what deploy needs', () => {
    expect(job.permissions).toEqual({ contents: 'write', deployments: 'write', actions: 'read', attestations: 'read' });
    expect(wf.concurrency?.['cancel-in-progress']).toBe(false);
  });

  it('runs the action in deploy mode with the dispatch inputs, passed as inputs and never as shell text', () => {
    expect(labbook.id).toBe('labbook');
    expect(labbook.with).toMatchObject({ mode: 'deploy', run: '${{ inputs.run }}', environment: '${{ inputs.environment }}' });
    expect(String(labbook.with!['deploy-command'])).not.toMatch(/\$\{\{/);
  });

  it('checks out exactly the commit the action outputs, and reads only outputs action.yml declares', () => {
    const later = steps.slice(steps.indexOf(labbook) + 1);
    expect(later.find((s) => s.uses?.startsWith('actions/checkout'))?.with).toMatchObject({ ref: '${{ steps.labbook.outputs.commit }}' });
    const used = [...JSON.stringify(later).matchAll(/steps\.labbook\.outputs\.([a-z-]+)/g)].map((m) => m[1]!);
    expect(used).toEqual(expect.arrayContaining(['commit', 'config-path']));
    for (const output of used) expect(Object.keys(action.outputs)).toContain(output);
  });
});
