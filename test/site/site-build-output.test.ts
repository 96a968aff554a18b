import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeFixture } from './fixtures/make-fixture.ts';

const REPO = join(import.meta.dirname, '..', '..');

/** `labbook site build` as a user runs it: a process of its own, its output as the terminal gets it. */
function siteBuild(args: string[], cwd: string, env: Record<string, string> = {}) {
  return new Promise<{ code: number; output: string }>((resolveRun) => {
    execFile(
      process.execPath,
      [join(REPO, 'bin', 'labbook.js'), 'site', 'build', ...args],
      { cwd, env: { ...process.env, GITHUB_ACTIONS: '', ...env }, maxBuffer: 1 << 26 },
      (error, stdout, stderr) =>
        resolveRun({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, output: stripVTControlCharacters(stdout + stderr) }),
    );
  });
}

const lines = (output: string) => output.trimEnd().split('\n');

describe('what labbook site build prints', () => {
  let root: string;
  let dataDir: string;

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'labbook-site-output-'));
    await mkdir(join(root, '.git'));
    const fixture = await makeFixture(join(root, 'fixture'));
    dataDir = fixture.dataDir;
    // A queue listing a trace its run lacks: "labbook validate" refuses it, so the site leaves it out.
    await writeFile(
      join(dataDir, 'qa-agent', 'queues', 'stale.yaml'),
      `run: ${fixture.runs.baseline}\nselect: { traces: [no-such-trace] }\ncollect: { labels: [verdict] }\n`,
    );
  });
  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('says in a few lines what it built, where, how big, and what next; warnings stay, naming their file', async () => {
    const out = join(root, 'quiet-site');
    // NODE_ENV as a developer's shell may set it: Astro's content sync then starts a dev server,
    // which must not run the data pass a second time.
    const { code, output } = await siteBuild(['--data', dataDir, '--out', out, '--base', '/lab/'], root, { NODE_ENV: 'development' });
    expect(code, output).toBe(0);
    expect(lines(output).length, output).toBeLessThanOrEqual(10);
    // The fixture's broken annotation file is still named, with its line.
    expect(output).toMatch(/annotations\/broken\.yaml:\d+:\d+: invalid YAML/);
    // So is a queue the site cannot serve (no page for it: still 18 pages).
    expect(output).toMatch(/review queue skipped: \S*queues\/stale\.yaml: no trace "no-such-trace" in run \S+ \(it has \d+ traces?\)/);
    expect(output).toContain(`building the site from ${dataDir}`);
    expect(output.match(/rendering the pages/g)).toHaveLength(1);
    expect(output).toMatch(/read 4 runs \(\d+ traces\) of 3 experiments in [\d.]+ s; rendering the pages/);
    expect(output).toMatch(
      new RegExp(`site built in [\\d.]+ s: 18 pages for 3 experiments, 4 runs and \\d+ traces, [\\d.]+ MiB in ${out}\\n`),
    );
    expect(output).toContain(`preview it: labbook site preview --out ${out} --base /lab/`);
    expect(output).toContain('"labbook init" writes a GitHub Pages workflow');
    // None of Astro's page list, timings or Vite's chunk files.
    expect(output).not.toMatch(/index\.html|\[build\]|\[vite\]|\.js\b/);
  }, 240_000);

  it('prints Astro’s whole log with --verbose; in CI, no hint to preview', async () => {
    await mkdir(join(root, '.github', 'workflows'), { recursive: true });
    await writeFile(join(root, '.github', 'workflows', 'pages.yml'), 'name: pages\n');
    const out = join(root, 'verbose-site');
    const { code, output } = await siteBuild(['--data', dataDir, '--out', out, '--verbose'], root, { GITHUB_ACTIONS: 'true' });
    expect(code, output).toBe(0);
    // Astro writes each page's time in ms, or in seconds past one (a loaded machine: "+3.00s").
    expect(output).toMatch(/[├└]─ \/experiments\/qa-agent\/index\.html \(\+(\d+ms|[\d.]+s)\)/);
    expect(output).toMatch(/\[build\] 18 page\(s\) built/);
    expect(output).toMatch(/\[labbook-data\] data pass: 4 runs/);
    expect(lines(output).at(-1)).toMatch(new RegExp(`^site built in [\\d.]+ s: 18 pages .* in ${out}$`));
    expect(output).not.toContain('preview it');
  }, 240_000);

  it('shows the error of a build that fails, naming the file, and exits non-zero', async () => {
    const broken = join(root, 'broken');
    await mkdir(join(broken, 'demo'), { recursive: true });
    await writeFile(join(broken, 'demo', 'experiment.yaml'), 'name: demo\nmetrics: []\n');
    // A file where the experiment's runs folder belongs: the data pass cannot list the runs.
    await writeFile(join(broken, 'demo', 'runs'), 'not a folder\n');
    const { code, output } = await siteBuild(['--data', broken, '--out', join(root, 'broken-site')], root);
    expect(code).toBe(1);
    expect(output).toContain(`labbook site: cannot list the folder ${join(broken, 'demo', 'runs')}: a part of that path is a file`);
    expect(output).not.toContain('site built');
  }, 240_000);
});
