import { execFileSync } from 'node:child_process';
import { appendFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { formatSha256Sums, hashRunFiles } from '../../src/store/sha256sums.ts';
import { createRun } from '../../src/store/run-writer.ts';
import { readPlainTraces } from '../../src/store/trace-storage.ts';
import { currentWriter, judgeLock, writerState, writeWriterLock } from '../../src/store/writer-lock.ts';
import { runCli } from '../helpers/run-cli.ts';
import { tempDir } from '../helpers/temp-dir.ts';

// Writes `count` traces with score ok = 0.5, then (with "tear") half of one more line, and
// kills itself with SIGKILL: what a child killed halfway through a line leaves behind. With
// "tear-exit" it exits 0 after the half line instead: a writer's bug, not an interruption.
const SCRIPT = `
const fs = require('node:fs');
const file = require('node:path').join(process.env.LABBOOK_RUN_DIR, 'traces.jsonl');
const line = (i) => { const s = Date.now(); return JSON.stringify({ id: 't' + i, exampleId: 'e' + i, input: { q: i }, output: 'o', start: s, end: s + 3, durationMs: 3,
  spans: [{ id: 'root', parentId: null, name: 'agent', type: 'AGENT', start: s, end: s + 3 }], scores: [{ name: 'ok', value: 0.5 }] }) + '\\n'; };
const count = Number(process.argv[2]);
for (let i = 1; i <= count; i++) fs.appendFileSync(file, line(i));
if (process.argv[3]?.startsWith('tear')) fs.appendFileSync(file, line(count + 1).slice(0, 40));
if (process.argv[3] === 'tear') process.kill(process.pid, 'SIGKILL');
`;

const repo = tempDir('labbook-integrity-');
const data = join(repo, 'experiments');
const runsOf = (experiment: string) => join(data, experiment, 'runs');

beforeAll(() => {
  execFileSync('git', ['init', '-q', '-b', 'main', repo]);
  writeFileSync(join(repo, 'eval.cjs'), SCRIPT);
  writeFileSync(join(repo, 'config.yaml'), 'model: m1\n');
});

async function run(experiment: string, ...args: string[]): Promise<string> {
  const result = await runCli(['run', '--create', '-e', experiment, '-c', 'config.yaml', '--', 'node', 'eval.cjs', ...args], { cwd: repo });
  return /run (\S+) (completed|failed|partial)/.exec(result.stdout)![1]!;
}

/** Rewrites a run's digests in run.json and SHA256SUMS after an edit, as a forger would. */
async function reseal(dir: string): Promise<void> {
  const manifest = JSON.parse(readFileSync(join(dir, 'run.json'), 'utf8'));
  const { 'run.json': _, ...others } = await hashRunFiles(dir);
  manifest.files = others;
  writeFileSync(join(dir, 'run.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  writeFileSync(join(dir, 'SHA256SUMS'), formatSha256Sums(await hashRunFiles(dir)));
}

describe('validate recomputes metrics from the traces', () => {
  it('refuses metrics.json edited alone and resealed, naming the metric and both values', async () => {
    const id = await run('metrics', '4');
    const dir = join(runsOf('metrics'), id);
    expect((await runCli(['validate'], { cwd: repo })).code).toBe(0);

    const metrics = JSON.parse(readFileSync(join(dir, 'metrics.json'), 'utf8'));
    expect(metrics.scores.ok.mean).toBe(0.5);
    metrics.scores.ok.mean = 0.99;
    writeFileSync(join(dir, 'metrics.json'), `${JSON.stringify(metrics, null, 2)}\n`);
    await reseal(dir);

    const result = await runCli(['validate', dir], { cwd: repo });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`${join(dir, 'metrics.json')}: scores.ok.mean: records 0.99 but the traces give 0.5`);
    expect(result.stderr).not.toMatch(/SHA256SUMS/); // the seal itself is consistent: only the recomputation catches it
  });

  it('tolerates float noise in a recorded number', async () => {
    const id = await run('noise', '3');
    const dir = join(runsOf('noise'), id);
    const metrics = JSON.parse(readFileSync(join(dir, 'metrics.json'), 'utf8'));
    metrics.scores.ok.mean = 0.5 + 1e-15;
    writeFileSync(join(dir, 'metrics.json'), `${JSON.stringify(metrics, null, 2)}\n`);
    await reseal(dir);
    expect((await runCli(['validate', dir], { cwd: repo })).code).toBe(0);
  });
});

describe('a child killed halfway through a line', () => {
  it('is sealed partial by the runner, the torn bytes set aside, and validates', async () => {
    const id = await run('torn', '5', 'tear');
    const dir = join(runsOf('torn'), id);
    const manifest = JSON.parse(readFileSync(join(dir, 'run.json'), 'utf8'));
    expect(manifest).toMatchObject({ status: 'partial', counts: { traces: 5 } });
    expect(manifest.statusReason).toBe(
      'the command was interrupted by SIGKILL; its last line, cut off mid-write (40 bytes), was set aside in traces.torn.jsonl',
    );
    expect(readFileSync(join(dir, 'traces.torn.jsonl'), 'utf8')).toMatch(/^\{"id":"t6".{30}\n$/);
    expect(readFileSync(join(dir, 'SHA256SUMS'), 'utf8')).toMatch(/ {2}traces\.torn\.jsonl$/m);
    expect((await runCli(['validate', dir], { cwd: repo })).code).toBe(0);
    expect((await runCli(['repair', id], { cwd: repo })).stderr).toMatch(
      /sealed partial and has no torn line to set aside: nothing to repair/,
    );
  });

  it('written by a command that then exits 0 is sealed failed; validate refuses it and repair sets the torn bytes aside', async () => {
    const id = await run('torn-exit', '5', 'tear-exit');
    const dir = join(runsOf('torn-exit'), id);
    const manifest = JSON.parse(readFileSync(join(dir, 'run.json'), 'utf8'));
    expect(manifest.status).toBe('failed');
    // Sealed, the torn line lives in the last chunk, and the reason says where.
    expect(manifest.statusReason).toMatch(/traces\/00000\.jsonl\.gz:6:\d+: (malformed|truncated) JSON/);
    const torn = (await readPlainTraces(dir)).split('\n').at(-1)!;
    expect((await runCli(['validate', dir], { cwd: repo })).code).toBe(1);

    const repaired = await runCli(['repair', id.slice(-6)], { cwd: repo });
    expect(repaired.stderr).toBe('');
    expect(repaired.code).toBe(0);
    expect(repaired.stdout).toMatch(
      new RegExp(
        `repaired run ${id}: failed → completed, 5 traces kept; torn last line \\(40 bytes\\) set aside in .*traces\\.torn\\.jsonl`,
      ),
    );
    expect(readFileSync(join(dir, 'traces.torn.jsonl'), 'utf8')).toBe(`${torn}\n`);
    expect(readFileSync(join(dir, 'SHA256SUMS'), 'utf8')).toMatch(/ {2}traces\.torn\.jsonl$/m);
    const after = JSON.parse(readFileSync(join(dir, 'run.json'), 'utf8'));
    expect(after).toMatchObject({ status: 'completed', counts: { traces: 5 } });
    expect(after.statusReason).toMatch(/a torn last line \(40 bytes\) was set aside in traces\.torn\.jsonl; repaired by labbook repair/);
    expect((await runCli(['validate', dir], { cwd: repo })).code).toBe(0);

    // Nothing left to repair, and an edited sealed run is never re-sealed.
    expect((await runCli(['repair', id], { cwd: repo })).stderr).toMatch(
      /sealed completed and has no torn line to set aside: nothing to repair/,
    );
    expect(existsSync(join(dir, 'traces.jsonl'))).toBe(false); // sealed again: compacted again
    appendFileSync(join(dir, 'traces/00000.jsonl.gz'), '{"id":');
    const edited = await runCli(['repair', id], { cwd: repo });
    expect(edited.code).toBe(1);
    expect(edited.stderr).toMatch(/was edited after it was sealed \(traces\/00000\.jsonl\.gz: changed\)/);
  });
});

describe('runs left running', () => {
  it('refuses to repair a run whose writer is alive, and validate leaves it alone', async () => {
    const { dir, manifest } = await createRun({
      dataDir: data,
      experiment: 'live',
      configPath: join(repo, 'config.yaml'),
      source: { kind: 'local', host: 'h', user: 'u' },
      code: { commit: null, branch: null, dirty: false },
    });
    expect((await writerState(dir)).lock).toMatchObject({ pid: process.pid, host: hostname() });
    expect((await runCli(['validate', dir], { cwd: repo })).code).toBe(0);
    const refused = await runCli(['repair', manifest.id], { cwd: repo });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(new RegExp(`is still being written by pid ${process.pid} on `));
    expect(JSON.parse(readFileSync(join(dir, 'run.json'), 'utf8')).status).toBe('running');
  });

  it('tells a dead writer from a live one even when its pid was reused', () => {
    const me = currentWriter();
    expect(me.startTicks).toEqual(expect.any(Number)); // from /proc: this test runs on Linux
    expect(judgeLock(me).state).toBe('alive');
    // Same pid, another start time: the process that wrote the lock is gone, whoever has its pid now.
    expect(judgeLock({ ...me, startTicks: me.startTicks! - 1 })).toMatchObject({
      state: 'dead',
      why: expect.stringMatching(/pid now belongs to another process/),
    });
    expect(judgeLock({ ...me, bootId: 'another-boot' })).toMatchObject({ state: 'dead', why: 'the machine has restarted since' });
    expect(judgeLock({ ...me, host: 'elsewhere' }).state).toBe('unknown');
    // A dead runner whose command still runs is a live writer.
    expect(judgeLock({ ...me, pid: 2 ** 22 + 7, child: { pid: process.pid, startTicks: me.startTicks } }).state).toBe('alive');
  });

  it('reports a run from another machine once it is a day old, and repairs it only with --force while younger', async () => {
    const young = await createRun({
      dataDir: data,
      experiment: 'away',
      configPath: join(repo, 'config.yaml'),
      source: { kind: 'local', host: 'h', user: 'u' },
      code: { commit: null, branch: null, dirty: false },
    });
    await writeWriterLock(young.dir, { ...currentWriter(), host: 'another-machine' });
    expect((await runCli(['validate', young.dir], { cwd: repo })).code).toBe(0);
    expect((await runCli(['repair', young.manifest.id], { cwd: repo })).stderr).toMatch(
      /cannot tell whether run .* still has a writer \(its writer ran on another machine \(another-machine\)\); .* --force/,
    );
    const forced = await runCli(['repair', young.manifest.id, '--force'], { cwd: repo });
    expect(forced.stdout).toMatch(/running → partial, 0 traces kept/);
    expect((await writerState(young.dir)).lock).toBeNull(); // the seal removed the lock

    const old = await createRun({
      dataDir: data,
      experiment: 'away',
      configPath: join(repo, 'config.yaml'),
      source: { kind: 'local', host: 'h', user: 'u' },
      code: { commit: null, branch: null, dirty: false },
      now: new Date(Date.now() - 50 * 3600_000),
    });
    await writeWriterLock(old.dir, { ...currentWriter(), host: 'another-machine' });
    const stale = await runCli(['validate', old.dir], { cwd: repo });
    expect(stale.code).toBe(1);
    expect(stale.stderr).toMatch(/status: is "running" since .* \(50 h ago\) and no live writer is known/);
    expect((await runCli(['repair', old.manifest.id], { cwd: repo })).code).toBe(0);
    expect((await runCli(['validate', old.dir], { cwd: repo })).code).toBe(0);
  });
});

describe('a broken experiment.yaml', () => {
  it('is reported once, though both the experiment and its annotations read it', async () => {
    const id = await run('broken-definition', '2');
    await runCli(['annotate', id, 'e1', '--label', 'verdict=good', '--author', 'ann'], { cwd: repo });
    appendFileSync(join(data, 'broken-definition', 'experiment.yaml'), 'metrics: [\n');
    const result = await runCli(['validate', join(data, 'broken-definition')], { cwd: repo });
    expect(result.code).toBe(1);
    const problems = result.stderr.trim().split('\n');
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^error: .*broken-definition\/experiment\.yaml:\d+:\d+: invalid YAML/);
    expect(result.stdout).toContain('; 1 error, 0 warnings');
  });
});
