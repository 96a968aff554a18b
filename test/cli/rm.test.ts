import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { writeDeploymentRecord } from '../../src/deploy/deployment-record.ts';
import { finishRun } from '../../src/store/finish-run.ts';
import { TraceWriter } from '../../src/store/trace-writer.ts';
import { createLocalRun } from '../helpers/local-run.ts';
import { currentWriter, writeWriterLock } from '../../src/store/writer-lock.ts';
import { runCli } from '../helpers/run-cli.ts';
import { tempDir } from '../helpers/temp-dir.ts';

// A real data folder for each test: runs made and sealed by the store, an annotation file, a
// deployment record, and unsealed runs whose writers are this process (alive), a process that
// has gone, and a process on another machine.
let root: string;
let data: string;
const runs: Record<string, string> = {};

async function makeRun(
  name: string,
  options: { seal: boolean; status?: 'failed' | 'partial' } = { seal: true },
): Promise<{ id: string; dir: string }> {
  const { dir, manifest } = await createLocalRun({ root, dataDir: data, experiment: 'exp', config: name, name });
  const writer = new TraceWriter(dir);
  for (let i = 0; i < 3; i++)
    writer.append({ id: `t${i}`, exampleId: `e${i}`, input: i, output: 'o', start: 0, end: 1, durationMs: 1, scores: [] });
  writer.close();
  if (options.seal) await finishRun(dir, options.status ? { status: options.status, statusReason: 'made so by the test' } : {});
  return { id: manifest.id, dir };
}

const exists = (id: string) => existsSync(join(data, 'exp', 'runs', id));
const rm = (...args: string[]) => runCli(['rm', ...args], { cwd: root });

beforeEach(async () => {
  root = tempDir('labbook-rm-');
  data = join(root, 'experiments');
  mkdirSync(join(data, 'exp', 'annotations'), { recursive: true });
  writeFileSync(join(data, 'exp', 'experiment.yaml'), 'name: exp\nannotations:\n  labels: { verdict: [approved, wrong] }\n');
  for (const name of ['free', 'other', 'annotated', 'deployed']) runs[name] = (await makeRun(name)).id;
  writeFileSync(
    join(data, 'exp', 'annotations', 'ada.yaml'),
    `- run: ${runs.annotated}\n  trace: t1\n  name: verdict\n  value: approved\n  author: ada\n  at: 2026-12-01T10:00:00Z\n`,
  );
  await writeDeploymentRecord(data, {
    environment: 'production',
    experiment: 'exp',
    run: runs.deployed!,
    commit: '',
    configPath: 'experiments/exp/runs/x/config.yaml',
    configDigest: `sha256:${'0'.repeat(64)}`,
    actor: 'ada',
    at: '2026-12-01T10:00:00Z',
    outcome: 'success',
    checks: [],
  });
  const me = currentWriter();
  runs.live = (await makeRun('live', { seal: false })).id; // its lock names this process
  const gone = await makeRun('gone', { seal: false });
  runs.gone = gone.id;
  await writeWriterLock(gone.dir, { ...me, startTicks: (me.startTicks ?? 0) + 1 });
  const elsewhere = await makeRun('elsewhere', { seal: false });
  runs.elsewhere = elsewhere.id;
  await writeWriterLock(elsewhere.dir, { ...me, host: 'ci-runner-7' });
});

describe('labbook rm', () => {
  it('removes the runs named, each once, and says what it freed; --dry-run only lists them', async () => {
    const dry = await rm(runs.free!, '--dry-run');
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stdout).toContain(`would remove exp/${runs.free} (completed, 3 traces, `);
    expect(dry.stdout).toMatch(/1 run to remove \([\d.]+ KiB\); nothing removed: this was a dry run/);
    expect(exists(runs.free!)).toBe(true);

    const done = await rm(runs.free!, runs.free!.slice(-6), runs.other!);
    expect(done.code, done.stderr).toBe(0);
    expect(done.stdout).toContain(`removed exp/${runs.free} (completed, 3 traces, `);
    expect(done.stdout).toMatch(/2 runs removed, [\d.]+ KiB freed/);
    expect([exists(runs.free!), exists(runs.other!), exists(runs.annotated!)]).toEqual([false, false, true]);
  });

  it('removes nothing while one run named must stay, and removes a referred-to run only with --force', async () => {
    const refused = await rm(runs.free!, runs.annotated!);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(`kept exp/${runs.annotated}: exp/annotations/ada.yaml refers to it`);
    expect(refused.stderr).toContain('nothing removed: 1 run must stay (--force removes it)');
    expect(exists(runs.free!)).toBe(true); // all or nothing

    const forced = await rm(runs.annotated!, '--force');
    expect(forced.code, forced.stderr).toBe(0);
    expect(forced.stdout).toContain(`removed exp/${runs.annotated} (completed, 3 traces, `);
    expect(forced.stdout).toContain('although exp/annotations/ada.yaml refers to it');
    expect(exists(runs.annotated!)).toBe(false);
    // What --force left behind is what validate then names.
    const validate = await runCli(['validate', data], { cwd: root });
    expect(validate.code).toBe(1);
    expect(validate.stderr).toContain(`exp/annotations/ada.yaml:1:8: run: no run ${runs.annotated} in experiment exp`);
  });

  it('never removes a run a deployment record names, nor one whose writer still runs', async () => {
    const deployed = await rm(runs.deployed!, '--force');
    expect(deployed.code).toBe(1);
    expect(deployed.stderr).toMatch(
      new RegExp(`kept exp/${runs.deployed}: exp/deployments/\\S+\\.json names it: a deployed run keeps its lineage`),
    );
    expect(deployed.stderr).toContain('nothing removed: 1 run must stay\n');
    const live = await rm(runs.live!, '--force');
    expect(live.code).toBe(1);
    expect(live.stderr).toContain(`kept exp/${runs.live}: its writer is still running (pid ${process.pid}`);
    expect([exists(runs.deployed!), exists(runs.live!)]).toEqual([true, true]);
  });

  it('removes a running run whose writer is gone, and one written elsewhere only with --force', async () => {
    const gone = await rm(runs.gone!);
    expect(gone.code, gone.stderr).toBe(0);
    expect(gone.stdout).toContain(`removed exp/${runs.gone} (running, `);
    const elsewhere = await rm(runs.elsewhere!);
    expect(elsewhere.code).toBe(1);
    expect(elsewhere.stderr).toContain(
      `kept exp/${runs.elsewhere}: it may still be running (its writer ran on another machine (ci-runner-7))`,
    );
    expect((await rm(runs.elsewhere!, '--force')).code).toBe(0);
    expect([exists(runs.gone!), exists(runs.elsewhere!)]).toEqual([false, false]);
  });

  it('gives JSON with what went and what stayed', async () => {
    const result = await rm(runs.free!, runs.deployed!, '--json');
    expect(result.code).toBe(1);
    const json = JSON.parse(result.stdout);
    expect(json).toMatchObject({
      dryRun: false,
      removed: [],
      wouldRemove: [{ experiment: 'exp', run: runs.free, status: 'completed', traces: 3 }],
      kept: [{ experiment: 'exp', run: runs.deployed, forceable: false }],
    });
    expect(json.wouldRemove[0].bytes).toBeGreaterThan(0);
  });

  it('chooses runs by --status, removing those free to go and keeping the others, saying why', async () => {
    const failed = [
      (await makeRun('crashed', { seal: true, status: 'failed' })).id,
      (await makeRun('typo', { seal: true, status: 'failed' })).id,
    ];
    const partial = (await makeRun('stopped', { seal: true, status: 'partial' })).id;
    writeFileSync(
      join(data, 'exp', 'annotations', 'bob.yaml'),
      `- run: ${failed[1]}\n  trace: t1\n  name: verdict\n  value: wrong\n  author: bob\n  at: 2026-12-01T10:00:00Z\n`,
    );
    const dry = await rm('--status', 'failed', '--dry-run');
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stdout).toContain(`would remove exp/${failed[0]} (failed, 3 traces, `);
    expect(dry.stderr).toContain(`kept exp/${failed[1]}: exp/annotations/bob.yaml refers to it`);
    const done = await rm('--status', 'failed', '--experiment', 'exp');
    expect(done.code, done.stderr).toBe(0);
    expect(done.stdout).toMatch(/^1 run removed, /m);
    expect(done.stderr).toContain('1 run kept, as said above');
    expect([exists(failed[0]!), exists(failed[1]!), exists(partial), exists(runs.free!)]).toEqual([false, true, true, true]);
    expect((await rm('--status', 'partial', '--json')).stdout).toContain(`"run": "${partial}"`);
    expect(exists(partial)).toBe(false);
    expect((await rm('--status', 'partial')).stdout).toBe('no partial runs: nothing to remove\n');
  });

  it('refuses wrong input clearly: no run, an unknown run, an unreadable annotation file', async () => {
    expect(await rm('--status', 'completed')).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('--status takes failed, partial, running'),
    });
    expect(await rm(runs.free!, '--status', 'failed')).toMatchObject({ code: 2, stderr: expect.stringContaining('not both') });
    expect(await rm('--experiment', 'exp')).toMatchObject({ code: 2, stderr: expect.stringContaining('--experiment goes with --status') });
    expect((await rm('--status', 'failed', '--experiment', 'nope')).stderr).toMatch(/experiment not found: nope/);
    const none = await rm();
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/^labbook rm: name the runs to remove/);
    const unknown = await rm('nosuch');
    expect(unknown.code).not.toBe(0);
    expect(unknown.stderr).toMatch(/nosuch/);
    writeFileSync(join(data, 'exp', 'annotations', 'broken.yaml'), '- run: [\n');
    const unreadable = await rm(runs.free!);
    expect(unreadable.code).toBe(1);
    expect(unreadable.stderr).toMatch(/error: .*broken\.yaml/);
    expect(unreadable.stderr).toContain('labbook rm: nothing removed while a deployment record, annotation or queue file cannot be read');
    expect(exists(runs.free!)).toBe(true);
  });

  it('removes nothing of a run whose run.json cannot be read, and says how to restore or remove it', async () => {
    const manifest = join(data, 'exp', 'runs', runs.other!, 'run.json');
    writeFileSync(manifest, '{bad');
    const answer = await rm(runs.other!, runs.free!);
    expect(answer.code).toBe(1);
    expect(answer.stderr).toContain(`${manifest}:1:2: malformed JSON`);
    expect(answer.stderr).toContain(`Restore the file from git (git checkout -- ${manifest})`);
    expect(answer.stderr).toContain(`remove its folder yourself: rm -r ${join(data, 'exp', 'runs', runs.other!)}`);
    expect([exists(runs.other!), exists(runs.free!)]).toEqual([true, true]);
  });
});
