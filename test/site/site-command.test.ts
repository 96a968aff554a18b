import { execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cp, mkdtemp, mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.ts';
import { BASE, type FixtureSite, fixtureSite } from './helpers/fixture-site.ts';

const REPO = join(import.meta.dirname, '..', '..');

async function run(args: string[], cwd: string) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(args, { cwd, stdout: (t) => out.push(t), stderr: (t) => err.push(t), env: {} });
  return { code, stdout: out.join(''), stderr: err.join('') };
}

describe('labbook site', () => {
  let root: string;
  let site: FixtureSite;

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'labbook-site-cli-'));
    await mkdir(join(root, '.git'));
    await mkdir(join(root, 'experiments'));
    site = await fixtureSite();
  });
  afterAll(async () => {
    await site?.server.close();
    await rm(root, { recursive: true, force: true });
  });

  it('says what to do without an action or with an unknown one', async () => {
    expect(await run(['site'], root)).toMatchObject({ code: 2, stderr: expect.stringContaining('build or preview') });
    expect(await run(['site', 'deploy'], root)).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('unknown sub-command "deploy"; labbook site takes build or preview'),
    });
  });

  it('refuses an output folder the build would empty with the data or the repository in it', async () => {
    for (const out of ['.', 'experiments', '..']) {
      const result = await run(['site', 'build', '--out', out], root);
      expect([out, result.code]).toEqual([out, 2]);
      expect(result.stderr).toContain('would be emptied');
    }
  });

  it('never deletes what it did not make: refuses a folder of user files, replaces its own, keeps the previous site when a build fails', async () => {
    const cli = (args: string[], dataDir = site.info.dataDir) =>
      new Promise<{ code: number; stderr: string }>((resolveRun) => {
        execFile(
          process.execPath,
          [join(REPO, 'bin', 'labbook.js'), 'site', 'build', '--data', dataDir, ...args],
          { cwd: root },
          (error, _stdout, stderr) => resolveRun({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, stderr }),
        );
      });
    const mine = join(root, 'my-notes');
    await mkdir(mine);
    await writeFile(join(mine, 'thesis.md'), 'years of work');
    const refused = await cli(['--out', mine]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain(`--out ${mine} holds files a Labbook build did not make (thesis.md)`);
    expect(refused.stderr).toContain('--force');
    expect(await readFile(join(mine, 'thesis.md'), 'utf8')).toBe('years of work');

    const out = join(root, 'public-site');
    expect((await cli(['--out', out])).code).toBe(0);
    expect(existsSync(join(out, '.labbook-site'))).toBe(true);
    const index = await readFile(join(out, 'index.html'), 'utf8');
    // A build that fails midway leaves the site as it was: a trace chunk deleted from the last
    // run stops the data pass (run inside Astro's build, into the staging folder) after it has
    // written the other runs; only that pass reads the chunks.
    const lost = join(root, 'lost-chunk');
    await cp(site.info.dataDir, lost, { recursive: true });
    const chunk = join(lost, 'xss-lab', 'runs', '20260117-hostile', 'traces', '00000.jsonl.gz');
    await rm(chunk);
    const failed = await cli(['--out', out], lost);
    expect(failed.code).toBe(1);
    expect(failed.stderr).toContain(`labbook site: ${chunk}: listed in run.json traceChunks`);
    expect(await readFile(join(out, 'index.html'), 'utf8')).toBe(index);
    // Nor its half-built staging folder in the site's project folder.
    expect((await readdir(join(REPO, 'site'))).filter((name) => name.startsWith('.build-public-site-'))).toEqual([]);
    expect((await readdir(root)).filter((name) => name.includes('.labbook-'))).toEqual([]);
    // Its own folder is replaced without --force.
    expect((await cli(['--out', out])).code).toBe(0);
  }, 240_000);

  it('refuses a data branch that is not a branch name', async () => {
    const result = await run(['site', 'build', '--out', join(root, '_site'), '--data-branch', 'main; rm -rf /'], root);
    expect(result).toMatchObject({ code: 2, stderr: expect.stringContaining('--data-branch "main; rm -rf /" is not a branch name') });
  });

  it('refuses to preview a folder with no built site, and a bad port', async () => {
    expect(await run(['site', 'preview', '--out', 'nothing-here'], root)).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('no built site'),
    });
    expect(await run(['site', 'preview', '--out', site.dir, '--port', 'http'], root)).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('--port'),
    });
  });

  it('previews a built site under its base path until stopped', async () => {
    const child = spawn(
      process.execPath,
      [join(REPO, 'bin', 'labbook.js'), 'site', 'preview', '--out', site.dir, '--base', BASE, '--port', '0'],
      { cwd: root },
    );
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let text = '';
        child.stdout.on('data', (chunk: Buffer) => {
          text += chunk.toString();
          const match = /at (http:\/\/\S+)/.exec(text);
          if (match) resolve(match[1]!);
        });
        child.on('exit', (code) => reject(new Error(`preview exited with ${code}`)));
      });
      expect(url).toMatch(new RegExp(`${BASE}$`));
      const home = await fetch(url);
      expect(home.status).toBe(200);
      expect(await home.text()).toContain('Experiments');
      expect((await fetch(`${url}data/runs.json`)).headers.get('content-type')).toBe('application/json');
    } finally {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
    expect(child.exitCode).toBe(0);
  });
});
