import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli, type CliResult } from '../helpers/run-cli.ts';
import { mountTmpfs } from '../helpers/small-mount.ts';
import { tempDir } from '../helpers/temp-dir.ts';

// Three traces; with "fill" it then fills the disk its run is on, as a big evaluation would.
const SCRIPT = `
const fs = require('node:fs');
const path = require('node:path');
const file = path.join(process.env.LABBOOK_RUN_DIR, 'traces.jsonl');
for (let i = 1; i <= 3; i++) {
  const s = Date.now();
  fs.appendFileSync(file, JSON.stringify({ id: 't' + i, exampleId: 'e' + i, input: { q: i }, output: 'o', start: s, end: s + 1, durationMs: 1, spans: [], scores: [{ name: 'ok', value: 0.5 }] }) + '\\n');
}
if (process.argv[2] === 'fill') {
  const filler = path.join(process.env.LABBOOK_DATA, '..', 'filler');
  try { for (;;) fs.appendFileSync(filler, Buffer.alloc(4096)); } catch (error) { if (error.code !== 'ENOSPC') throw error; }
}
`;

const repo = tempDir('labbook-env-');
const readOnly = mountTmpfs(join(repo, 'ro'), 1024);
const small = mountTmpfs(join(repo, 'small'), 256);
const roData = join(repo, 'ro', 'experiments');

beforeAll(async () => {
  execFileSync('git', ['init', '-q', '-b', 'main', repo]);
  writeFileSync(join(repo, 'eval.cjs'), SCRIPT);
  writeFileSync(join(repo, 'config.yaml'), 'model: m1\n');
  if (!readOnly.ok) return;
  expect(
    (await runCli(['run', '-q', '--create', '--data', roData, '-e', 'demo', '-c', 'config.yaml', '--', 'node', 'eval.cjs'], { cwd: repo }))
      .code,
  ).toBe(0);
  readOnly.readOnly();
});

/** One line naming the path and the cause, with advice; no stack, not called a bug. */
function expectEnvironmentLine(result: CliResult, command: string, path: string, code: string): void {
  expect(result.code).toBe(1);
  expect(result.stderr).not.toMatch(/unexpected error|a bug|\n\s+at /);
  expect(result.stderr).not.toMatch(/ENOENT/);
  const line = result.stderr.trim().split('\n').at(-1)!;
  expect(line.startsWith(`labbook ${command}: cannot `)).toBe(true);
  expect(line).toContain(path);
  expect(line).toContain(`(${code}); `);
}

describe.skipIf(!readOnly.ok)('a read-only data folder', () => {
  const runId = () => readdirSync(join(roData, 'demo', 'runs'))[0]!;

  it('refuses run, for an existing experiment and a new one, in one line', async () => {
    const existing = await runCli(['run', '--create', '--data', roData, '-e', 'demo', '-c', 'config.yaml', '--', 'node', 'eval.cjs'], {
      cwd: repo,
    });
    expectEnvironmentLine(existing, 'run', join(roData, 'demo', 'runs'), 'EROFS');
    expect(existing.stderr).toMatch(
      /the file system is read-only \(EROFS\); work in a writable copy, or point --data at a writable folder/,
    );
    expectEnvironmentLine(
      await runCli(['run', '--create', '--data', roData, '-e', 'fresh', '-c', 'config.yaml', '--', 'node', 'eval.cjs'], { cwd: repo }),
      'run',
      join(roData, 'fresh'),
      'EROFS',
    );
  });

  it('refuses annotate with the folder it could not create, not ENOENT', async () => {
    const result = await runCli(
      ['annotate', '--data', roData, '--run', runId(), '--trace', 't1', '--metric', 'quality=0.5', '--author', 'ann'],
      { cwd: repo },
    );
    expectEnvironmentLine(result, 'annotate', join(roData, 'demo', 'annotations'), 'EROFS');
  });

  it('refuses export csv into it, and still reads from it', async () => {
    expectEnvironmentLine(
      await runCli(['export', 'csv', '--data', roData, '--experiment', 'demo', '-o', join(roData, 'runs.csv')], { cwd: repo }),
      'export',
      join(roData, 'runs.csv'),
      'EROFS',
    );
    const elsewhere = await runCli(['export', 'csv', '--data', roData, '--experiment', 'demo', '-o', join(repo, 'runs.csv')], {
      cwd: repo,
    });
    expect(elsewhere.code).toBe(0);
    expect((await runCli(['validate', roData], { cwd: repo })).code).toBe(0);
  });

  it('refuses site build into it in one line', async () => {
    const result = await runCli(['site', 'build', '--data', roData, '--out', join(roData, 'site')], { cwd: repo });
    expectEnvironmentLine(result, 'site', join(roData, 'site'), 'EROFS');
  }, 120_000);
});

describe.skipIf(!small.ok)('a full disk', () => {
  const data = join(repo, 'small', 'experiments');

  it('says so in one line when a run cannot be created, and leaves no half-made run', async () => {
    writeFileSync(join(repo, 'small', 'filler'), Buffer.alloc(0));
    try {
      execFileSync('sh', ['-c', `cat /dev/zero > "${join(repo, 'small', 'filler')}"`], { stdio: 'ignore' });
    } catch {
      // cat stops at ENOSPC
    }
    const result = await runCli(['run', '--create', '--data', data, '-e', 'demo', '-c', 'config.yaml', '--', 'node', 'eval.cjs'], {
      cwd: repo,
    });
    expectEnvironmentLine(result, 'run', data, 'ENOSPC');
    expect(result.stderr).toMatch(/no space left on the device \(ENOSPC\); free some disk space, or point --data at another disk/);
    const runs = join(data, 'demo', 'runs');
    expect(existsSync(runs) ? readdirSync(runs) : []).toEqual([]);
    rmSync(join(repo, 'small', 'filler'));
  });

  it('keeps the traces of a run the disk filled up under, and repair seals it once there is room', async () => {
    // A process of its own, as a user's would be: its writer.lock then names a process that ends.
    const child = spawnSync(
      process.execPath,
      [resolve('bin/labbook.js'), 'run', '--create', '--data', data, '-e', 'demo', '-c', 'config.yaml', '--', 'node', 'eval.cjs', 'fill'],
      {
        cwd: repo,
        encoding: 'utf8',
        env: { ...process.env, GITHUB_ACTIONS: '' },
      },
    );
    const result = { code: child.status, stderr: child.stderr };
    expect(result.code).toBe(1);
    expect(result.stderr).not.toMatch(/unexpected error|\n\s+at /);
    const id = readdirSync(join(data, 'demo', 'runs'))[0]!;
    expect(result.stderr.trim().split('\n').at(-1)).toMatch(
      new RegExp(
        `^labbook run: cannot .*\\(ENOSPC\\); .*\\. Run ${id} is not sealed; once that is fixed, "labbook repair ${id}" seals it$`,
      ),
    );
    rmSync(join(repo, 'small', 'filler'));
    const repaired = await runCli(['repair', '--data', data, id], { cwd: repo });
    expect(repaired.stdout).toMatch(/running → partial, 3 traces kept/);
    const validated = await runCli(['validate', data], { cwd: repo });
    expect(validated.stderr).toBe('');
    expect(validated.code).toBe(0);
  });
});

it.runIf(!readOnly.ok || !small.ok)('skips the read-only and full-disk tests only when no tmpfs can be mounted', () => {
  console.warn(`skipped: ${!readOnly.ok ? readOnly.why : ''} ${!small.ok ? small.why : ''}`);
});
