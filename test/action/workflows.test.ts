import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import yaml from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { INPUT_NAMES } from '../../action/src/inputs.ts';
import { ROOT } from './harness.ts';

type Step = { uses?: string; run?: string; with?: Record<string, unknown>; env?: Record<string, string> };
type Job = { permissions?: Record<string, string>; steps?: Step[] };
type Workflow = { permissions?: unknown; concurrency?: Record<string, unknown>; jobs: Record<string, Job> };

const load = (file: string) => yaml.load(readFileSync(join(ROOT, file), 'utf8')) as Record<string, any>;
const workflow = (name: string) => load(`.github/workflows/${name}.yml`) as Workflow;
const action = load('action/action.yml');

/** Expressions that put text an outsider controls into a command line. */
const UNTRUSTED = /\$\{\{[^}]*(github\.event\.(pull_request|issue|comment|review|head_commit|commits|workflow_run\.head_branch)|github\.head_ref|inputs\.)[^}]*\}\}/;

describe('action.yml', () => {
  it('declares exactly the inputs the action parses, and runs the bundle on node24', () => {
    expect(Object.keys(action.inputs).sort()).toEqual([...INPUT_NAMES].sort());
    expect(action.runs).toEqual({ using: 'node24', main: 'dist/index.js' });
  });
});

describe.each(['ci', 'evaluate', 'pages'])('.github/workflows/%s.yml', (name) => {
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
    expect(wf.jobs.merge!.permissions).toEqual({ contents: 'write', 'pull-requests': 'write', statuses: 'write', pages: 'read' });
    expect(wf.jobs.evaluate!.permissions).toEqual({ contents: 'write' });
  });
});
