import { execFile, execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import yaml from 'js-yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import { deploymentSchema } from '../../schemas/deployment.ts';
import { runManifestSchema, type RunManifest } from '../../schemas/run-manifest.ts';
import { tempDir } from '../helpers/temp-dir.ts';

/**
 * `npm run demo -- --no-serve`, run once into a temporary folder, shows what it promises: CI
 * runs made by the action and labelled simulated, deployments with their checks, two
 * reviewers' annotations, a laptop run, and a site whose pages show all of it with GitHub links.
 */
const ROOT = join(import.meta.dirname, '..', '..');
const REPOSITORY = 'Codertocat/Hello-World';
const root = tempDir('labbook-demo-');
const dir = join(root, 'demo');
let output = '';
let manifests: RunManifest[] = [];
const dataDir = join(dir, 'data', 'experiments', 'demo');
const remoteBranchFiles = (path: string) =>
  execFileSync('git', ['ls-tree', '-r', '--name-only', 'labbook-data', path], { cwd: join(dir, 'github', 'agent.git'), encoding: 'utf8' })
    .trim()
    .split('\n')
    .filter(Boolean);

beforeAll(async () => {
  const result = await promisify(execFile)(process.execPath, [join(ROOT, 'scripts', 'demo.js'), '--no-serve', '--dir', dir], {
    cwd: ROOT,
    maxBuffer: 64 * 1024 * 1024,
    timeout: 240_000,
  });
  output = result.stdout + result.stderr;
  manifests = readdirSync(join(dataDir, 'runs')).map((id) =>
    runManifestSchema.parse(JSON.parse(readFileSync(join(dataDir, 'runs', id, 'run.json'), 'utf8'))),
  );
}, 300_000);

describe('npm run demo', () => {
  it('evaluates three configs in simulated CI jobs, pushed to the data branch, and one on a laptop', () => {
    const ci = manifests.filter((m) => m.source.kind === 'ci');
    expect(ci.map((m) => m.name).sort()).toEqual(['baseline', 'rag-deep', 'tool-first']);
    for (const m of ci) {
      expect(m.status).toBe('completed');
      expect(m.source).toMatchObject({ kind: 'ci', simulated: true, repository: REPOSITORY, workflow: 'evaluate', event: 'push' });
      expect(remoteBranchFiles(`experiments/demo/runs/${m.id}`)).toContain(`experiments/demo/runs/${m.id}/SHA256SUMS`);
    }
    expect(manifests.filter((m) => m.source.kind === 'local').map((m) => m.name)).toEqual(['tool-first (laptop)']);
    expect(output).toMatch(/ok: 1 experiment, 4 runs, 876 traces; 0 errors, 0 warnings/);
  });

  it('deploys the baseline, then the best config, to production with every check passed, recorded on the data branch', () => {
    const files = remoteBranchFiles('experiments/demo/deployments');
    expect(files).toHaveLength(2);
    const records = files
      .map((path) => deploymentSchema.parse(JSON.parse(readFileSync(join(dir, 'data', path), 'utf8'))))
      .sort((a, b) => a.at.localeCompare(b.at));
    const byName = (name: string) => manifests.find((m) => m.name === name && m.source.kind === 'ci')!.id;
    expect(records.map((r) => [r.environment, r.run, r.outcome])).toEqual([
      ['production', byName('baseline'), 'success'],
      ['production', byName('tool-first'), 'success'],
    ]);
    expect(records.every((r) => r.checks.every((c) => c.ok))).toBe(true);
  });

  it('has two reviewers’ annotations of the same traces, disagreeing on some, merged into the data branch', () => {
    const files = readdirSync(join(dataDir, 'annotations')).sort();
    expect(files).toEqual(['ada-reviewer.yaml', 'ben-checker.yaml']);
    expect(remoteBranchFiles('experiments/demo/annotations')).toHaveLength(2);
    type Entry = { run: string; trace: string; name: string; value: string | number };
    const [ada, ben] = files.map((f) => yaml.load(readFileSync(join(dataDir, 'annotations', f), 'utf8')) as Entry[]);
    expect(ada!.map(({ run, trace, name }) => `${run}/${trace}/${name}`)).toEqual(
      ben!.map(({ run, trace, name }) => `${run}/${trace}/${name}`),
    );
    const disagreements = ada!.filter((entry, i) => entry.value !== ben![i]!.value);
    expect(disagreements.length).toBeGreaterThan(0);
    expect(disagreements.length).toBeLessThan(ada!.length / 2);
  });

  it('checks the evaluators against the reviewers: the run page shows judges and people for correct and answer_type', () => {
    const baseline = manifests.find((m) => m.name === 'baseline' && m.source.kind === 'ci')!;
    const runPage = readFileSync(join(dir, 'site', 'experiments', 'demo', 'runs', baseline.id, 'index.html'), 'utf8');
    const section = /<section[^>]*id="judges"[\s\S]*?<\/section>/.exec(runPage)?.[0] ?? '';
    expect(section).toContain('Judges and people');
    expect(section).toMatch(/data-name="correct" data-judge="correct"/);
    expect(section).toMatch(/data-name="answer_type" data-judge="answer_type"/);
    expect(section).toMatch(/r -?\d\.\d\d \[-?\d\.\d\d, -?\d\.\d\d\]/);
    expect(section).toContain('judge-disagree=1');
  });

  it('builds a site whose pages show provenance, the simulated label, deployments and GitHub links', () => {
    const site = join(dir, 'site', 'experiments', 'demo');
    const baseline = manifests.find((m) => m.name === 'baseline')!;
    const runPage = readFileSync(join(site, 'runs', baseline.id, 'index.html'), 'utf8');
    expect(runPage).toContain('simulated CI');
    expect(runPage).toMatch(/<dt>Source<\/dt>\s*<dd[^>]*>simulated CI: the action was run locally against a stand-in for GitHub<\/dd>/);
    expect(runPage).toContain(
      `<a href="https://github.com/${REPOSITORY}/actions/runs/${baseline.source.kind === 'ci' ? baseline.source.workflowRunId : ''}">evaluate #7001 (simulated)</a>`,
    );
    expect(runPage).toContain(`https://github.com/${REPOSITORY}/commit/${baseline.code.commit}`);
    const experimentPage = readFileSync(join(site, 'index.html'), 'utf8');
    const live = manifests.find((m) => m.name === 'tool-first' && m.source.kind === 'ci')!;
    // The live deployment and its lineage: commit → CI job → run → deployment.
    expect(experimentPage).toMatch(new RegExp(`Live: <a href="/experiments/demo/runs/${live.id}/">tool-first</a>`));
    const lineage = /<ol class="lineage"[^>]*>([\s\S]*?)<\/ol>/.exec(experimentPage)![1]!;
    expect([...lineage.matchAll(/data-step="([a-z-]+)"/g)].map((m) => m[1])).toEqual(['commit', 'ci-job', 'run', 'deployment']);
    expect(lineage).toContain(`https://github.com/${REPOSITORY}/actions/runs/7003/attempts/1`);
    expect(experimentPage).toContain('tool-first (laptop)');
    // The annotation form knows where to propose a file: GitHub's new-file page on the data branch.
    const tracePage = readFileSync(join(site, 'runs', baseline.id, 'trace', 'index.html'), 'utf8').replaceAll('&#34;', '"');
    expect(tracePage).toContain(`"repository":"${REPOSITORY}","serverUrl":"https://github.com","branch":"labbook-data"`);
  });

  it('never empties a folder it did not make', () => {
    const precious = join(root, 'someone-else');
    mkdirSync(precious);
    writeFileSync(join(precious, 'notes.txt'), 'keep me');
    const result = spawnSync(process.execPath, [join(ROOT, 'scripts', 'demo.js'), '--no-serve', '--dir', precious], { encoding: 'utf8' });
    expect(result.status).toBe(2);
    expect(result.stderr).toContain(`demo: ${precious} is not empty and was not made by the demo`);
    expect(readFileSync(join(precious, 'notes.txt'), 'utf8')).toBe('keep me');
  });
});
