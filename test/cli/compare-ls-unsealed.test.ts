import { mkdirSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { TraceWriter } from '../../src/store/trace-writer.ts';
import { createLocalRun } from '../helpers/local-run.ts';
import { finishRun } from '../../src/store/finish-run.ts';
import { currentWriter, writeWriterLock } from '../../src/store/writer-lock.ts';
import { runCli } from '../helpers/run-cli.ts';
import { tempDir } from '../helpers/temp-dir.ts';

// Real runs in a real data folder: two on the same 30 examples, one on 30 others, and one left
// "running" with 13 traces written by a process that has since gone (as after `kill -9`).
const root = tempDir('labbook-unsealed-');
const data = join(root, 'experiments');
const runs: Record<string, string> = {};

async function makeRun(name: string, prefix: string, options: { seal: boolean; traces?: number }): Promise<{ id: string; dir: string }> {
  const { dir, manifest } = await createLocalRun({ root, dataDir: data, experiment: 'exp', config: name });
  const writer = new TraceWriter(dir);
  for (let i = 0; i < (options.traces ?? 30); i++) {
    writer.append({
      id: `t${i}`,
      exampleId: `${prefix}-${i}`,
      input: { q: `${prefix} ${i}` },
      output: `answer ${i}`,
      start: 0,
      end: 10,
      durationMs: 50 + i,
      scores: [{ name: 'correct', value: i % 3 !== 0 }],
    });
  }
  writer.close();
  if (options.seal) await finishRun(dir);
  return { id: manifest.id, dir };
}

beforeAll(async () => {
  mkdirSync(join(data, 'exp'), { recursive: true });
  writeFileSync(
    join(data, 'exp', 'experiment.yaml'),
    'name: exp\nprimaryMetric: correct\nmetrics:\n  - { name: correct, kind: boolean, direction: higher }\n',
  );
  runs.a = (await makeRun('cfg-a', 'ex', { seal: true })).id;
  runs.other = (await makeRun('cfg-other', 'other', { seal: true })).id;
  const crashed = await makeRun('cfg-crashed', 'ex', { seal: false, traces: 13 });
  runs.crashed = crashed.id;
  // The lock names this process with another start time: the process that wrote it is gone.
  const me = currentWriter();
  await writeWriterLock(crashed.dir, { ...me, startTicks: (me.startTicks ?? 0) + 1, bootId: me.bootId });
});

describe('runs that share no example', () => {
  it('say so first and exit 1 instead of a table of "not compared"', async () => {
    const r = await runCli(['compare', runs.a!, runs.other!], { cwd: root });
    expect(r.code).toBe(1);
    expect(r.stderr.split('\n')[0]).toMatch(/^labbook compare: the runs share no example: nothing can be paired/);
    expect(r.stdout).not.toMatch(/not compared/);
  });

  it('still print the JSON document, with the note first among the warnings', async () => {
    const r = await runCli(['compare', runs.a!, runs.other!, '--format', 'json'], { cwd: root });
    expect(r.code).toBe(1);
    const json = JSON.parse(r.stdout);
    expect(json.warnings[0]).toMatch(/^the runs share no example/);
    // The same keys as any comparison's document: judges and people are each run's own.
    expect(Object.keys(json)).toEqual(expect.arrayContaining(['judges', 'people']));
  });
});

describe('a running run whose writer is gone', () => {
  it('is listed with the traces on disk and how to seal it', async () => {
    const r = await runCli(['ls', 'exp'], { cwd: root });
    expect(r.code).toBe(0);
    const line = r.stdout.split('\n').find((l) => l.startsWith(runs.crashed!))!;
    expect(line).toContain(`running (writer gone: labbook repair ${runs.crashed})`);
    expect(line).toMatch(/\s13\s/);
    const json = JSON.parse((await runCli(['ls', 'exp', '--json'], { cwd: root })).stdout);
    const listed = json.runs.find((run: { id: string }) => run.id === runs.crashed);
    expect(listed).toMatchObject({ status: 'running', traces: 0, writer: 'gone', tracesOnDisk: 13 });
    expect(json.runs.find((run: { id: string }) => run.id === runs.a)).not.toHaveProperty('writer');
  });

  it('is compared with a warning that names labbook repair', async () => {
    const r = await runCli(['compare', runs.a!, runs.crashed!], { cwd: root });
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(`warning: run ${runs.crashed} is still "running" (not sealed) but its writer is gone`);
    expect(r.stderr).toContain(`"labbook repair ${runs.crashed}" seals it`);
    expect(r.stdout).toMatch(/13 of 30 examples are in every run/);
  });

  it('is reported, exported and queried with the same warning, as a snapshot', async () => {
    const warning = `warning: run ${runs.crashed} is still "running" (not sealed) but its writer is gone`;
    const report = await runCli(['report', runs.a!, runs.crashed!, '-o', join(root, 'snapshot.html')], { cwd: root });
    expect(report.code, report.stderr).toBe(0);
    expect(report.stderr).toContain(`${warning} (`);
    expect(report.stderr).toContain('13 traces written so far are reported; "labbook repair');
    const csv = await runCli(['export', 'csv', '--run', runs.crashed!, '--experiment', 'exp', '-o', join(root, 'snapshot.csv')], {
      cwd: root,
    });
    expect(csv.code, csv.stderr).toBe(0);
    expect(csv.stderr).toContain('13 traces written so far are exported;');
    const paired = await runCli(['export', 'csv', '--compare', `${runs.a},${runs.crashed}`, '-o', join(root, 'pairs.csv')], { cwd: root });
    expect(paired.stderr).toContain('13 traces written so far are exported;');
    const otlp = await runCli(['export', 'otlp', '--run', runs.crashed!, '-o', join(root, 'snapshot.json')], { cwd: root });
    expect(otlp.code, otlp.stderr).toBe(0);
    expect(otlp.stderr).toContain('13 traces written so far are exported;');
    const query = await runCli(['query', runs.crashed!, '--by', 'span-type'], { cwd: root });
    expect(query.code, query.stderr).toBe(0);
    expect(query.stderr).toContain('13 traces written so far are counted;');
    // A sealed run gets none.
    expect((await runCli(['export', 'csv', '--run', runs.a!, '-o', join(root, 'sealed.csv')], { cwd: root })).stderr).not.toContain(
      'warning',
    );
  });
});

describe('a sealed run with a truncated trace chunk', () => {
  it('validates to the storage error and one line on the metrics, not a mismatch per figure', async () => {
    const { id, dir } = await makeRun('cfg-truncated', 'ex', { seal: true, traces: 40 });
    const chunk = join(dir, 'traces', '00000.jsonl.gz');
    truncateSync(chunk, statSync(chunk).size - 30);
    const r = await runCli(['validate', join(data, 'exp')], { cwd: root });
    expect(r.code).toBe(1);
    const lines = r.stderr.split('\n').filter((l) => l.includes(id));
    expect(lines.some((l) => l.startsWith(`error: ${chunk}`))).toBe(true);
    expect(lines.filter((l) => l.includes('metrics.json'))).toEqual([
      `warning: ${join(dir, 'metrics.json')}: not checked against the traces: the trace chunks could not all be read (see the error above), so run.json's counts and metrics.json cannot be recomputed`,
    ]);
    expect(lines.filter((l) => /records .* but the traces give|counts\.\w+: says/.test(l))).toEqual([]);
  });
});

describe('options that used to be ignored in silence', () => {
  it('compare --cluster-bootstrap without a cluster key says it needs one', async () => {
    const r = await runCli(['compare', runs.a!, runs.crashed!, '--cluster-bootstrap'], { cwd: root });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--cluster-bootstrap needs a cluster key: set cluster: in exp\/experiment\.yaml/);
  });

  it('plan refuses --run and --experiment together', async () => {
    const r = await runCli(['plan', '--metric', 'correct', '--mde', '0.1', '--run', runs.a!, '--experiment', 'exp'], { cwd: root });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/give --run <id> or --experiment <name>, not both/);
  });

  it('compact --dry-run says when there is nothing to compact', async () => {
    const r = await runCli(['compact', '--dry-run'], { cwd: root });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`nothing to compact under ${data}`);
  });
});

describe('a run named by its name whose run.json is not valid JSON', () => {
  it('is reported as that file, line and error, not as "run not found"', async () => {
    const { id, dir } = await makeRun('cfg-broken', 'ex', { seal: true });
    const manifest = join(dir, 'run.json');
    writeFileSync(manifest, '{\n  "id": "x",\n  oops\n}\n');
    const r = await runCli(['compare', 'cfg-a', 'cfg-broken'], { cwd: root });
    expect(r.code).toBe(1);
    expect(r.stderr).not.toMatch(/run not found/);
    expect(r.stderr).toMatch(
      new RegExp(`${manifest.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:3:\\d+: .*so run "cfg-broken" cannot be found by its name`),
    );
    // Its id gives the same error, as it did before.
    expect((await runCli(['compare', 'cfg-a', id], { cwd: root })).stderr).toContain(`${manifest}:3:`);
    // A name no run has still says not found, and counts the unreadable run.json.
    const missing = await runCli(['compare', 'cfg-a', 'cfg-nothing'], { cwd: root });
    expect(missing.stderr).toMatch(/run not found: cfg-nothing \(.*a run\.json could not be read/);
  });
});
