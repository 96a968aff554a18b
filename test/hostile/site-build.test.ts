import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, expect, it } from 'vitest';
import { finishRun } from '../../src/store/finish-run.ts';
import { createRun, ensureExperiment } from '../../src/store/run-writer.ts';
import { makeTrace } from '../helpers/make-trace.ts';
import { tempDir } from '../helpers/temp-dir.ts';
import { nestedJson } from './corpus.ts';

/**
 * One full `labbook site build` (a child process, as a user runs it) over good runs, a run with
 * bad trace lines among good ones, and a run whose run.json is 100,000 levels deep: the build
 * succeeds, its log names each bad line and the skipped run, and every readable run keeps its
 * pages and CSV downloads.
 */
const REPO = join(import.meta.dirname, '..', '..');
const root = tempDir('labbook-hostile-site-');
const dataDir = join(root, 'experiments');
let good = '';
let mixed = '';
let broken = '';
let mixedTraces = '';

beforeAll(async () => {
  mkdirSync(join(root, '.git'));
  const configPath = join(root, 'agent.yaml');
  writeFileSync(configPath, 'model: demo\n');
  await ensureExperiment(dataDir, 'demo');
  const make = async (lines: string[]) => {
    const { dir, manifest } = await createRun({
      dataDir,
      experiment: 'demo',
      configPath,
      rootDir: root,
      source: { kind: 'local', host: 'h', user: 'u' },
      code: { commit: null, branch: null, dirty: false },
    });
    writeFileSync(join(dir, 'traces.jsonl'), `${lines.join('\n')}\n`);
    await finishRun(dir);
    return { id: manifest.id, dir };
  };
  good = (await make([1, 2, 3].map((i) => JSON.stringify(makeTrace(i))))).id;
  const m = await make([
    JSON.stringify(makeTrace(1)),
    `{"id":"abyss","exampleId":"e","input":${nestedJson(100_000)},"start":0,"end":1,"durationMs":1}`,
    JSON.stringify(makeTrace(2)),
    JSON.stringify(makeTrace(1)),
    JSON.stringify(makeTrace(3)),
  ]);
  mixed = m.id;
  mixedTraces = join(m.dir, 'traces', '00000.jsonl.gz');
  const b = await make([JSON.stringify(makeTrace(1))]);
  broken = b.id;
  const manifest = readFileSync(join(b.dir, 'run.json'), 'utf8');
  writeFileSync(join(b.dir, 'run.json'), manifest.replace(/^\{/, `{"extra":${nestedJson(100_000)},`));
});

it('builds the site around a bad trace and a bad run, naming both in the log', async () => {
  const out = join(root, '_site');
  const { stdout, stderr } = await promisify(execFile)(
    process.execPath,
    [join(REPO, 'bin', 'labbook.js'), 'site', 'build', '--out', out, '--data', dataDir],
    {
      // From the checkout: building from elsewhere is the package helper's fix (issue 14, piccolore).
      cwd: REPO,
      env: { ...process.env, GITHUB_ACTIONS: '' },
      maxBuffer: 1 << 26,
    },
  );
  const log = stdout + stderr;
  expect(log).toMatch(new RegExp(`${mixedTraces}:2: input\\.k\\.k.*nested deeper than 128 levels`));
  expect(log).toMatch(new RegExp(`${mixedTraces}:4: id: trace id "t1" appears more than once`));
  expect(log).toMatch(new RegExp(`skipped run .*${broken}.*run\\.json: extra.*nested deeper`));
  for (const run of [good, mixed]) {
    expect(existsSync(join(out, 'data', 'demo', run, 'traces.csv')), run).toBe(true);
  }
  const rows = readFileSync(join(out, 'data', 'demo', mixed, 'traces.csv'), 'utf8')
    .trim()
    .split(/\r?\n/);
  expect(rows).toHaveLength(1 + 3);
  expect(existsSync(join(out, 'data', 'demo', broken))).toBe(false);
}, 300_000);
