import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import yaml from 'js-yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import { CI_SOURCE, writeRun, type FixtureRun } from './helpers/analysis-store.ts';
import { tempDir } from './helpers/temp-dir.ts';

const ROOT = join(import.meta.dirname, '..');

type Step = { name?: string; id?: string; uses?: string; run?: string; with?: Record<string, unknown>; env?: Record<string, string> };
type Job = { permissions?: Record<string, string>; env?: Record<string, string>; steps: Step[] };
const workflow = yaml.load(readFileSync(join(ROOT, '.github/workflows/report.yml'), 'utf8')) as {
  on: { workflow_dispatch: { inputs: Record<string, unknown> } };
  permissions: unknown;
  jobs: { report: Job };
};
const job = workflow.jobs.report;

/** Expressions that put text the dispatcher typed into a command line. */
const UNTRUSTED = /\$\{\{[^}]*(inputs\.|github\.event\.)[^}]*\}\}/;

const root = tempDir('labbook-report-workflow-');
const dataDir = join(root, 'experiments');
let runs: FixtureRun[] = [];

beforeAll(async () => {
  runs = [
    await writeRun(root, dataDir, { variant: 0, traces: 12 }),
    await writeRun(root, dataDir, { variant: 1, traces: 12, source: CI_SOURCE }),
  ];
});

/**
 * The job's own `run:` steps. `npm ci` is the runner's set-up, never run here: it would delete
 * and reinstall this checkout's node_modules under every other process using them.
 */
const SETUP_RUNS = ['npm ci'];
const scripted = job.steps.filter((s) => s.run !== undefined && !SETUP_RUNS.includes(s.run.trim()));

/**
 * Runs the job's scripted steps with bash as the runner would, `${{ … }}` in step env replaced
 * from `context`; each step's GITHUB_OUTPUT lines become `steps.<id>.outputs.*`.
 */
function runSteps(context: Record<string, string>, out: string): { failedStep: string | null; stderr: string } {
  const values = { ...context };
  for (const step of scripted) {
    const outputFile = join(root, `output-${step.id ?? 'step'}-${Math.random().toString(36).slice(2)}`);
    writeFileSync(outputFile, '');
    const env: Record<string, string> = {
      PATH: process.env.PATH!,
      HOME: process.env.HOME ?? root,
      GITHUB_OUTPUT: outputFile,
      LABBOOK_DATA: dataDir,
      OUT: out,
      LABBOOK_CHROMIUM: process.env.LABBOOK_CHROMIUM ?? '/usr/bin/chromium',
    };
    for (const [key, value] of Object.entries(step.env ?? {})) {
      env[key] = value.replace(/\$\{\{\s*([^}]+?)\s*\}\}/g, (_, expr: string) => values[expr] ?? '');
    }
    const result = spawnSync('bash', ['-e', '-c', step.run!], { cwd: ROOT, env, encoding: 'utf8' });
    if (result.status !== 0) return { failedStep: step.name ?? step.run!, stderr: `${result.stdout}${result.stderr}` };
    for (const line of readFileSync(outputFile, 'utf8').split('\n').filter(Boolean)) {
      const eq = line.indexOf('=');
      values[`steps.${step.id}.outputs.${line.slice(0, eq)}`] = line.slice(eq + 1);
    }
  }
  return { failedStep: null, stderr: '' };
}

describe('.github/workflows/report.yml', () => {
  it('is started by hand with the run ids, has no permission but reading, never puts inputs into a command', () => {
    expect(Object.keys(workflow.on)).toEqual(['workflow_dispatch']);
    expect(workflow.on.workflow_dispatch.inputs).toHaveProperty('runs');
    expect(workflow.permissions).toEqual({});
    expect(job.permissions).toEqual({ contents: 'read' });
    for (const step of job.steps) if (step.run) expect(step.run).not.toMatch(UNTRUSTED);
    for (const step of job.steps.filter((s) => s.uses?.startsWith('actions/checkout')))
      expect(step.with?.['persist-credentials']).toBe(false);
    const upload = job.steps.find((s) => s.uses?.startsWith('actions/upload-artifact'))!;
    expect(upload.with).toMatchObject({ path: `${job.env!.OUT}/`, 'if-no-files-found': 'error' });
  });

  it('its steps write the PDF and both CSVs from the run ids', () => {
    expect(scripted.map((s) => s.name)).toEqual([
      'Check the run ids',
      'PDF and HTML report',
      "CSV of the comparison and of the experiment's runs",
    ]);
    const out = join(root, 'out');
    const result = runSteps({ 'inputs.runs': ` ${runs[0]!.id.slice(0, 22)}, ${runs[1]!.id}`, 'inputs.paper': 'letter' }, out);
    expect(result).toEqual({ failedStep: null, stderr: '' });
    expect(execFileSync('pdfinfo', [join(out, 'report.pdf')], { encoding: 'utf8' })).toMatch(/Page size:\s+612 x 792 pts/);
    const html = readFileSync(join(out, 'report.html'), 'utf8');
    expect(html).toContain(
      `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">`,
    );
    expect(html).toContain(runs[1]!.id);
    expect(readFileSync(join(out, 'comparison.csv'), 'utf8')).toContain(`${runs[1]!.id}.output`);
    expect(readFileSync(join(out, 'runs.csv'), 'utf8').split('\r\n')).toHaveLength(3);
  });

  it('refuses run ids that are not run ids before any command sees them', () => {
    const out = join(root, 'refused');
    const marker = join(root, 'pwned');
    for (const bad of [`${runs[0]!.id},$(touch ${marker})`, `${runs[0]!.id}`, `${runs[0]!.id};touch ${marker},x`, 'A,B']) {
      const result = runSteps({ 'inputs.runs': bad, 'inputs.paper': 'a4' }, out);
      expect(result.failedStep).toBe('Check the run ids');
      expect(result.stderr).toContain('runs must be 2 to 4 run ids');
    }
    expect(existsSync(marker)).toBe(false);
    expect(existsSync(out)).toBe(false);
  });
});
