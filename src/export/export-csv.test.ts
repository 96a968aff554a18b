import { execFileSync } from 'node:child_process';
import { appendFileSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { CI_SOURCE, writeRun, type FixtureRun } from '../../test/helpers/analysis-store.ts';
import { tempDir } from '../../test/helpers/temp-dir.ts';
import { openStore } from '../store/open-store.ts';
import { readAllTraces } from '../../test/helpers/run-traces.ts';
import { toCsv } from './csv.ts';
import { exportRunsCsv, exportTracesCsv, writeSiteCsvFiles } from './export-csv.ts';
import { traceCsvRows } from './traces-csv.ts';

const root = tempDir('labbook-export-csv-');
const dataDir = join(root, 'experiments');
const out = join(root, 'out');
let runA: FixtureRun;
let runB: FixtureRun;
let big: FixtureRun;

beforeAll(async () => {
  runA = await writeRun(root, dataDir, { variant: 0, traces: 20 });
  runB = await writeRun(root, dataDir, { variant: 1, traces: 20, source: CI_SOURCE });
  big = await writeRun(root, join(root, 'big'), { variant: 0, traces: 2_345 });
});

/** Parses a CSV file with Python's csv module into objects keyed by the header. */
function readCsv(file: string): Array<Record<string, string>> {
  const json = execFileSync(
    'python3',
    ['-c', 'import csv,json,sys; print(json.dumps(list(csv.DictReader(open(sys.argv[1], newline="", encoding="utf-8-sig")))))', file],
    { encoding: 'utf8', maxBuffer: 1 << 28 },
  );
  return JSON.parse(json);
}

/** A fraction as the CSV writes it: 15 significant digits (see toCell). */
const written = (x: number) => String(Number(x.toPrecision(15)));
describe("an experiment's runs CSV", () => {
  it('has one row per run with provenance and every metric with its CI', async () => {
    const file = join(out, 'runs.csv');
    expect(await exportRunsCsv(dataDir, 'demo', file)).toBe(2);
    const rows = readCsv(file);
    expect(rows.map((r) => r.run_id)).toEqual([runA.id, runB.id]);
    const metrics = await (await openStore(dataDir).run(runB.id)).metrics();
    const correct = metrics.scores.correct!;
    if (correct.kind === 'label') throw new Error('fixture: correct is a boolean score');
    expect(rows[1]).toMatchObject({
      source: 'ci',
      repository: 'acme/agent',
      workflow_run_url: 'https://github.com/acme/agent/actions/runs/4242',
      commit: 'abc1def0000000000000000000000000000000000',
      branch: 'main',
      config_name: 'config-1',
      model: 'large-model',
      traces: '20',
      trace_errors: '1',
      'correct.mean': written(correct.mean!),
      'correct.ci_low': written(correct.ci![0]),
      'correct.ci_high': written(correct.ci![1]),
      'correct.n': '20',
      'tone.n': '20',
      'tone=formal': '6',
      'tone=casual': '14',
      latency_ms_p50: String(metrics.latencyMs.p50),
      latency_ms_p95: String(metrics.latencyMs.p95),
      total_tokens: String(metrics.tokens.total),
      cost_usd: String(metrics.cost.total),
    });
    expect(rows[0]).toMatchObject({ source: 'local', repository: '', workflow_run_url: '' });
  });
});

describe("a run's traces CSV", () => {
  it('has one row per trace with ids, texts, usage, every score, neutralised formulas', async () => {
    const file = join(out, 'traces.csv');
    expect(await exportTracesCsv(dataDir, runB.id, file, { experiment: 'demo' })).toBe(20);
    const rows = readCsv(file);
    expect(Object.keys(rows[0]!)).toEqual([
      'trace_id',
      'example_id',
      'status',
      'error',
      'input',
      'output',
      'expected',
      'latency_ms',
      'spans',
      'input_tokens',
      'output_tokens',
      'total_tokens',
      'cost_usd',
      'tags',
      'score.correct',
      'score.quality',
      'score.tone',
    ]);
    expect(rows[2]).toMatchObject({
      trace_id: 't3',
      input: '{"question":"What is 3 + 3?"}',
      output: `'=HYPERLINK("http://evil.example","x")`,
      expected: 'The answer is 6',
    });
    expect(rows[6]).toMatchObject({ trace_id: 't7', status: 'error', error: 'timeout, "retry"\nlater', latency_ms: '217', spans: '4' });
    // trace 1 of variant 1: LLM input 100 + 1 + 50, output 21; cost 151e-5.
    expect(rows[0]).toMatchObject({
      input_tokens: '151',
      output_tokens: '21',
      total_tokens: '172',
      'score.correct': 'true',
      'score.quality': '0',
      'score.tone': 'casual',
    });
    expect(Number(rows[0]!.cost_usd)).toBeCloseTo(151e-5, 12);
  });

  it('streams a large run in chunks to exactly the text of the in-memory export', async () => {
    const file = join(out, 'big.csv');
    expect(await exportTracesCsv(join(root, 'big'), big.id, file)).toBe(2_345);
    const expected = toCsv(traceCsvRows(await readAllTraces(big.dir)));
    expect(readFileSync(file, 'utf8')).toBe(expected);
    expect(readCsv(file)).toHaveLength(2_345);
  });

  it('adds a byte order mark for Excel', async () => {
    const file = join(out, 'excel.csv');
    await exportTracesCsv(dataDir, runA.id, file, { excel: true });
    expect(readFileSync(file).subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
  });

  it('refuses an unknown run or a run of another experiment, and writes nothing', async () => {
    const file = join(out, 'unknown.csv');
    await expect(exportTracesCsv(dataDir, 'no-such-run', file, { experiment: 'demo' })).rejects.toThrow(/run not found: no-such-run/);
    await expect(exportTracesCsv(dataDir, runA.id, file, { experiment: 'other' })).rejects.toThrow(/experiment not found: other/);
    await expect(exportTracesCsv(dataDir, big.id, file)).rejects.toThrow(/run not found/);
    expect(existsSync(file)).toBe(false);
  });

  it('leaves no partial file, and an older file untouched, when a trace line is bad', async () => {
    const bad = await writeRun(root, join(root, 'bad'), { traces: 1_500, unfinished: true });
    appendFileSync(join(bad.dir, 'traces.jsonl'), '{"id": "cut off', 'utf8');
    const file = join(out, 'bad.csv');
    writeFileSync(file, 'previous export\n');
    await expect(exportTracesCsv(join(root, 'bad'), bad.id, file)).rejects.toThrow(/traces\.jsonl:1501:\d+: (malformed|truncated) JSON/);
    expect(readFileSync(file, 'utf8')).toBe('previous export\n');
    expect(readdirSync(out).filter((name) => name.endsWith('.tmp'))).toEqual([]);
  });
});

describe('site CSV files', () => {
  it('writes the runs CSV of each experiment and the traces CSV of each run', async () => {
    const site = join(root, 'site');
    const result = await writeSiteCsvFiles(dataDir, site);
    expect(result.skipped).toEqual([]);
    expect(result.files).toEqual([
      { experiment: 'demo', path: 'demo/runs.csv' },
      { experiment: 'demo', run: runA.id, path: `demo/${runA.id}/traces.csv` },
      { experiment: 'demo', run: runB.id, path: `demo/${runB.id}/traces.csv` },
    ]);
    expect(readCsv(join(site, 'demo', runA.id, 'traces.csv'))).toHaveLength(20);
    expect(readCsv(join(site, 'demo', 'runs.csv'))).toHaveLength(2);
  });

  it('names what it could not write: an unreadable experiment costs its CSV files, not "no traces.csv for run (experiment …)"', async () => {
    const broken = join(root, 'broken-definition');
    await writeRun(root, broken, { variant: 0, traces: 2 });
    appendFileSync(join(broken, 'demo', 'experiment.yaml'), 'metrics: [\n');
    const result = await writeSiteCsvFiles(broken, join(root, 'broken-site'));
    expect(result.files).toEqual([]);
    expect(result.skipped).toEqual([
      { what: 'the CSV files of experiment demo', reason: expect.stringMatching(/experiment\.yaml:\d+:\d+: invalid YAML/) },
    ]);
  });
});
