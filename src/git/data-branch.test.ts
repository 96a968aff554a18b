import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { backoffDelay } from './backoff.ts';
import { DataBranch, type ChangeSet, type PushOptions } from './data-branch.ts';
import { RunFolderTakenError } from './run-folder-taken-error.ts';

const COMMITTER = { name: 'labbook-test', email: 'labbook-test@example.invalid' };
const FAST: PushOptions = { attempts: 6, backoff: { baseMs: 1, maxMs: 5 } };

let root: string;
let remote: string;
let seq = 0;

function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, GIT_AUTHOR_DATE: '2026-01-01T00:00:00Z', GIT_COMMITTER_DATE: '2026-01-01T00:00:00Z' },
  });
}

/** A bare remote whose `main` holds one old run and a README, as a data branch would. */
async function seedRemote(): Promise<void> {
  remote = join(root, 'remote.git');
  git(root, 'init', '-q', '--bare', remote);
  git(remote, 'config', 'uploadpack.allowFilter', 'true');
  git(remote, 'config', 'uploadpack.allowAnySHA1InWant', 'true');
  const seed = join(root, 'seed');
  git(root, 'init', '-q', '-b', 'main', seed);
  await mkdir(join(seed, 'experiments/demo/runs/old-run'), { recursive: true });
  await writeFile(join(seed, 'experiments/demo/runs/old-run/traces.jsonl'), 'old traces\n');
  await writeFile(join(seed, 'README.md'), 'readme\n');
  git(seed, 'add', '.');
  git(seed, '-c', 'user.name=seed', '-c', 'user.email=seed@example.invalid', 'commit', '-q', '-m', 'seed');
  git(seed, 'push', '-q', remote, 'main');
}

async function open(branch = 'main'): Promise<DataBranch> {
  return DataBranch.open({ remoteUrl: remote, branch, dir: join(root, `checkout-${++seq}`), committer: COMMITTER });
}

/** A run folder on disk, as the store writes it, plus an experiment.yaml beside it. */
async function runFolder(id: string, experimentYaml = 'name: demo\n'): Promise<ChangeSet> {
  const dir = join(root, 'work', id);
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'run.json'), `{"id":"${id}"}\n`);
  await writeFile(join(dir, 'traces.jsonl'), `{"run":"${id}"}\n`);
  const yaml = join(root, 'work', `${id}.experiment.yaml`);
  await writeFile(yaml, experimentYaml);
  return {
    folders: [{ from: dir, to: `experiments/demo/runs/${id}` }],
    filesIfMissing: [{ from: yaml, to: 'experiments/demo/experiment.yaml' }],
    message: `labbook: demo/${id}`,
  };
}

function remoteLog(branch: string): string[] {
  return git(remote, 'log', '--format=%s', branch).trim().split('\n');
}

function remoteFiles(branch: string): string[] {
  return git(remote, 'ls-tree', '-r', '--name-only', branch).trim().split('\n');
}

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'labbook-git-'));
  await seedRemote();
});

afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('DataBranch', () => {
  it('commits a run folder onto an existing branch from a shallow, blob-less checkout', async () => {
    const data = await open();
    expect(data.exists).toBe(true);
    expect(await data.list('experiments/demo/runs')).toEqual(['old-run']);
    await data.commit(await runFolder('run-a'));
    const result = await data.push(FAST);
    expect(result).toMatchObject({ kind: 'pushed', attempts: 1, createdBranch: false });
    expect(remoteLog('main')).toEqual(['labbook: demo/run-a', 'seed']);
    expect(remoteFiles('main')).toContain('experiments/demo/runs/run-a/traces.jsonl');
    expect(remoteFiles('main')).toContain('experiments/demo/experiment.yaml');
    // Shallow, and the other run's traces were never downloaded.
    expect(existsSync(join(data.dir, '.git/shallow'))).toBe(true);
    const missing = git(data.dir, 'rev-list', '--objects', '--missing=print', 'HEAD')
      .split('\n')
      .filter((l) => l.startsWith('?'));
    expect(missing.length).toBeGreaterThan(0);
    expect(existsSync(join(data.dir, 'experiments/demo/runs/old-run'))).toBe(false);
    await data.dispose();
    expect(existsSync(data.dir)).toBe(false);
  });

  it('reads a file of the tip on demand and checks folders out when asked', async () => {
    const data = await open();
    expect(await data.readText('experiments/demo/runs/old-run/traces.jsonl')).toBe('old traces\n');
    expect(await data.readText('experiments/demo/runs/nope/run.json')).toBeNull();
    const [dir] = await data.include(['experiments/demo/runs/old-run']);
    expect(await readFile(join(dir!, 'traces.jsonl'), 'utf8')).toBe('old traces\n');
  });

  it('creates a missing data branch as an orphan that holds only the run', async () => {
    const data = await open('labbook-data');
    expect(data.exists).toBe(false);
    await data.commit(await runFolder('run-a'));
    const result = await data.push(FAST);
    expect(result).toMatchObject({ kind: 'pushed', createdBranch: true });
    expect(git(remote, 'rev-list', '--count', 'labbook-data').trim()).toBe('1');
    expect(remoteFiles('labbook-data').sort()).toEqual([
      'experiments/demo/experiment.yaml',
      'experiments/demo/runs/run-a/run.json',
      'experiments/demo/runs/run-a/traces.jsonl',
    ]);
    expect(remoteLog('main')).toEqual(['seed']);
  });

  it('removes run folders (gc) without conflict while other runs are pushed, and once gone upstream', async () => {
    const seeding = await open();
    await seeding.commit(await runFolder('run-x'));
    expect((await seeding.push(FAST)).kind).toBe('pushed');
    const gc = await open();
    const other = await open();
    await gc.commit({
      folders: [],
      filesIfMissing: [],
      removeFolders: ['experiments/demo/runs/old-run', 'experiments/demo/runs/run-x'],
      message: 'labbook gc: remove 2 run(s)',
    });
    await other.commit(await runFolder('run-y'));
    expect((await other.push(FAST)).kind).toBe('pushed'); // the tip moves under gc
    const result = await gc.push(FAST);
    expect(result).toMatchObject({ kind: 'pushed', attempts: 2 });
    expect(remoteLog('main')).toEqual(['labbook gc: remove 2 run(s)', 'labbook: demo/run-y', 'labbook: demo/run-x', 'seed']);
    const files = remoteFiles('main');
    expect(files).toContain('experiments/demo/runs/run-y/traces.jsonl');
    expect(files.filter((f) => f.includes('old-run') || f.includes('run-x'))).toEqual([]);
    // A second gc whose folders another gc removed first pushes an empty commit, not an error.
    const late = await open();
    await late.commit({
      folders: [],
      filesIfMissing: [],
      removeFolders: ['experiments/demo/runs/old-run'],
      message: 'labbook gc: nothing left',
    });
    expect((await late.push(FAST)).kind).toBe('pushed');
  });

  it('rebases onto a tip that moved and keeps history linear', async () => {
    const a = await open();
    const b = await open();
    await a.commit(await runFolder('run-a'));
    await b.commit(await runFolder('run-b'));
    expect((await a.push(FAST)).kind).toBe('pushed');
    const retries: number[] = [];
    const reasons: string[] = [];
    const result = await b.push({ ...FAST, onRetry: (attempt, _delay, reason) => (retries.push(attempt), reasons.push(reason)) });
    expect(result).toMatchObject({ kind: 'pushed', attempts: 2 });
    expect(retries).toEqual([1]);
    // git's verdict for the ref, not "To <remote>" nor "error: failed to push some refs".
    expect(reasons).toHaveLength(1);
    expect(reasons[0]).toMatch(/^\[rejected\] \((fetch first|non-fast-forward)\)$/);
    expect(remoteLog('main')).toEqual(['labbook: demo/run-b', 'labbook: demo/run-a', 'seed']);
    expect(git(remote, 'rev-list', '--merges', 'main').trim()).toBe('');
  });

  it('joins a data branch that another writer created meanwhile', async () => {
    const a = await open('labbook-data');
    const b = await open('labbook-data');
    await a.commit(await runFolder('run-a'));
    await b.commit(await runFolder('run-b'));
    expect(await a.push(FAST)).toMatchObject({ kind: 'pushed', createdBranch: true });
    expect(await b.push(FAST)).toMatchObject({ kind: 'pushed', createdBranch: false, attempts: 2 });
    expect(remoteLog('labbook-data')).toEqual(['labbook: demo/run-b', 'labbook: demo/run-a']);
    expect(remoteFiles('labbook-data')).toContain('experiments/demo/runs/run-b/run.json');
  });

  it("keeps the other writer's experiment.yaml when both added a different one", async () => {
    const a = await open();
    const b = await open();
    await a.commit(await runFolder('run-a', 'name: demo\ndescription: first\n'));
    await b.commit(await runFolder('run-b', 'name: demo\ndescription: second\n'));
    expect((await a.push(FAST)).kind).toBe('pushed');
    expect(await b.push(FAST)).toMatchObject({ kind: 'pushed', attempts: 2 });
    expect(git(remote, 'show', 'main:experiments/demo/experiment.yaml')).toBe('name: demo\ndescription: first\n');
    expect(remoteFiles('main')).toContain('experiments/demo/runs/run-b/run.json');
    expect(git(remote, 'show', '--stat', '--format=', 'main').trim()).not.toContain('experiment.yaml');
  });

  it('refuses to overwrite a run folder that exists on the branch', async () => {
    const data = await open();
    await expect(data.commit(await runFolder('old-run'))).rejects.toBeInstanceOf(RunFolderTakenError);
  });

  it('gives up at once when the remote refuses for good (branch protection)', async () => {
    await installHook('echo "GH006: Protected branch update failed for refs/heads/main." >&2; exit 1');
    const data = await open();
    await data.commit(await runFolder('run-a'));
    const waits: number[] = [];
    const result = await data.push({ ...FAST, wait: async (ms) => waits.push(ms) });
    expect(result).toMatchObject({ kind: 'failed', permanent: true, attempts: 1 });
    expect(result.kind === 'failed' && result.reason).toContain('Protected branch');
    expect(waits).toEqual([]);
  });

  it('stops after the given number of attempts, waiting longer each time', async () => {
    await installHook('echo "try again later" >&2; exit 1');
    const data = await open();
    await data.commit(await runFolder('run-a'));
    const waits: number[] = [];
    const reasons: string[] = [];
    const result = await data.push({
      attempts: 4,
      backoff: { baseMs: 100, maxMs: 1000 },
      random: () => 0.5,
      wait: async (ms) => waits.push(ms),
      onRetry: (_a, _d, reason) => reasons.push(reason),
    });
    expect(result).toMatchObject({ kind: 'failed', permanent: false, attempts: 4 });
    // The remote's own words come with git's verdict.
    expect(reasons[0]).toBe('[remote rejected] (pre-receive hook declined); try again later');
    expect(waits).toEqual([75, 150, 300]);
    expect(remoteLog('main')).toEqual(['seed']);
  });
});

describe('backoffDelay', () => {
  it('doubles, caps, and keeps half of the delay fixed', () => {
    const options = { baseMs: 500, maxMs: 4000 };
    expect([1, 2, 3, 4, 5].map((n) => backoffDelay(n, 0, options))).toEqual([250, 500, 1000, 2000, 2000]);
    expect([1, 2, 3, 4, 5].map((n) => backoffDelay(n, 0.999999, options))).toEqual([500, 1000, 2000, 4000, 4000]);
  });
});

async function installHook(body: string): Promise<void> {
  const hook = join(remote, 'hooks', 'pre-receive');
  await writeFile(hook, `#!/bin/sh\n${body}\n`);
  await chmod(hook, 0o755);
}
