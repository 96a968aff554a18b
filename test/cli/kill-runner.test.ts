import { execFileSync, spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/run-cli.ts';
import { tempDir } from '../helpers/temp-dir.ts';

const LABBOOK = resolve('bin/labbook.js');

// An evaluation command that writes traces without end, each line in two writes a few
// milliseconds apart so that a kill often lands between them, and tells the test its pid. It never watches its parent:
// whatever stops it must come from the runner's side.
const SCRIPT = `
const fs = require('node:fs');
const path = require('node:path');
fs.writeFileSync(process.argv[2], String(process.pid));
const file = path.join(process.env.LABBOOK_RUN_DIR, 'traces.jsonl');
let i = 0;
const next = () => {
  i++;
  const s = Date.now();
  const line = JSON.stringify({ id: 't' + i, exampleId: 'e' + i, input: { q: i, pad: 'x'.repeat(2000) }, output: 'o', start: s, end: s + 1, durationMs: 1,
    spans: [{ id: 'root', parentId: null, name: 'agent', type: 'AGENT', start: s, end: s + 1 }], scores: [{ name: 'ok', value: i % 2 === 0 }] }) + '\\n';
  fs.appendFileSync(file, line.slice(0, 1000));
  setTimeout(() => {
    fs.appendFileSync(file, line.slice(1000));
    setTimeout(next, 2);
  }, 4);
};
next();
`;

const repo = tempDir('labbook-kill-');
beforeAll(() => {
  execFileSync('git', ['init', '-q', '-b', 'main', repo]);
  writeFileSync(join(repo, 'eval.cjs'), SCRIPT);
  writeFileSync(join(repo, 'config.yaml'), 'model: m1\n');
});

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function waitFor(check: () => boolean, ms: number): Promise<boolean> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (check()) return true;
    await sleep(20);
  }
  return check();
}

describe('SIGKILL of the runner or of its command at random moments', () => {
  it('leaves every run sealed or repairable, and never leaves the command running', async () => {
    const KILLS = 20;
    const outcomes = { sealed: 0, repaired: 0, lost: 0 };
    const orphans: number[] = [];
    let torn = 0;
    for (let k = 0; k < KILLS; k++) {
      const experiment = `kill-${k}`;
      const pidFile = join(repo, `child-${k}.pid`);
      const runner = spawn(
        process.execPath,
        [LABBOOK, 'run', '-q', '--create', '-e', experiment, '-c', 'config.yaml', '--', 'node', 'eval.cjs', pidFile],
        {
          cwd: repo,
          env: { ...process.env, GITHUB_ACTIONS: '' },
          stdio: 'ignore',
        },
      );
      const runnerExit = new Promise((done) => runner.once('exit', done));
      expect(await waitFor(() => existsSync(pidFile) && readFileSync(pidFile, 'utf8') !== '', 20_000)).toBe(true);
      const childPid = Number(readFileSync(pidFile, 'utf8'));
      await sleep(Math.floor(Math.random() * 400));
      const victim = k % 2 === 0 ? runner.pid! : childPid; // alternate: the runner, then its command
      process.kill(victim, 'SIGKILL');
      await runnerExit.then(
        () => undefined,
        () => undefined,
      );
      // Killed outright, the runner runs no handler: its watchdog stops the command (TERM, then KILL after 2 s).
      if (!(await waitFor(() => !alive(childPid), 5_000))) {
        orphans.push(childPid);
        process.kill(childPid, 'SIGKILL');
      }

      const runs = readdirSync(join(repo, 'experiments', experiment, 'runs'));
      expect(runs).toHaveLength(1);
      const dir = join(repo, 'experiments', experiment, 'runs', runs[0]!);
      if ((await runCli(['validate', dir], { cwd: repo })).code === 0) outcomes.sealed++;
      else {
        const repaired = await runCli(['repair', runs[0]!], { cwd: repo });
        const validated = await runCli(['validate', dir], { cwd: repo });
        if (/torn last line/.test(repaired.stdout)) torn++;
        if (repaired.code === 0 && validated.code === 0) outcomes.repaired++;
        else {
          outcomes.lost++;
          console.error(`kill ${k}: ${repaired.stdout}${repaired.stderr}${validated.stderr}`);
        }
      }
    }
    console.log(
      `SIGKILL x${KILLS}: ${outcomes.sealed} sealed, ${outcomes.repaired} repaired (${torn} with a torn line set aside), ${outcomes.lost} neither; ${orphans.length} command(s) outlived their runner`,
    );
    expect(orphans).toEqual([]);
    expect(outcomes.lost).toBe(0);
    expect(outcomes.sealed + outcomes.repaired).toBe(KILLS);
    // Killing the command is sealed by the runner; killing the runner needs repair.
    expect(outcomes.repaired).toBeGreaterThanOrEqual(KILLS / 2);
  }, 240_000);
});

describe('Ctrl-C, or a failing command, under labbook run', () => {
  it('seals the run partial and exits 130, as a shell reports Ctrl-C; a failing command’s own code passes through', async () => {
    const pidFile = join(repo, 'ctrl-c.pid');
    // As a terminal delivers Ctrl-C: SIGINT to the whole foreground group, runner and command.
    const runner = spawn(
      process.execPath,
      [LABBOOK, 'run', '-e', 'ctrl-c', '--create', '-c', 'config.yaml', '--', 'node', 'eval.cjs', pidFile],
      {
        cwd: repo,
        env: { ...process.env, GITHUB_ACTIONS: '' },
        stdio: 'ignore',
        detached: true,
      },
    );
    const exited = new Promise<number | null>((resolve) => runner.on('exit', (code) => resolve(code)));
    expect(await waitFor(() => existsSync(pidFile), 20_000)).toBe(true);
    await sleep(300);
    process.kill(-runner.pid!, 'SIGINT');
    expect(await exited).toBe(130);
    const [run] = readdirSync(join(repo, 'experiments', 'ctrl-c', 'runs'));
    const manifest = JSON.parse(readFileSync(join(repo, 'experiments', 'ctrl-c', 'runs', run!, 'run.json'), 'utf8')) as { status: string };
    expect(manifest.status).toBe('partial');
    // A line cut off by the interruption is set aside, covered by SHA256SUMS: the run validates.
    expect((await runCli(['validate', join(repo, 'experiments', 'ctrl-c', 'runs', run!)], { cwd: repo })).code).toBe(0);

    const failing = await runCli(['run', '-e', 'ctrl-c', '-c', 'config.yaml', '--', 'node', '-e', 'process.exit(3)'], { cwd: repo });
    expect(failing.code).toBe(3);
  }, 60_000);
});
