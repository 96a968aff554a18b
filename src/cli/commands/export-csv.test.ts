import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { writeRun, type FixtureRun } from '../../../test/helpers/analysis-store.ts';
import { tempDir } from '../../../test/helpers/temp-dir.ts';
import { LabbookError, UsageError } from '../../errors/index.ts';
import type { CommandContext } from '../command.ts';
import { exportCsvCommand } from './export-csv.ts';

const root = tempDir('labbook-export-cli-');
const dataDir = join(root, 'experiments');
let runA: FixtureRun;
let runB: FixtureRun;
let runC: FixtureRun;

beforeAll(async () => {
  runA = await writeRun(root, dataDir, { variant: 0, traces: 20 });
  runB = await writeRun(root, dataDir, { variant: 1, traces: 20 });
  runC = await writeRun(root, dataDir, { variant: 2, traces: 18 });
  mkdirSync(join(dataDir, 'demo', 'annotations'));
  writeFileSync(
    join(dataDir, 'demo', 'annotations', 'ada.yaml'),
    `- { run: ${runA.id}, trace: t1, name: reviewer_score, value: 0.5, author: ada, at: 2026-02-01T10:00:00Z }
- { run: ${runA.id}, trace: t1, name: reviewer_score, value: 1, author: bob, at: 2026-02-01T10:00:00Z }
- { run: ${runA.id}, trace: t2, name: verdict, value: "=cmd|' /C calc'!A0", author: ada, at: 2026-02-01T10:00:00Z }
- { run: ${runA.id}, trace: t3, name: reviewer_score, value: .nan, author: ada, at: 2026-02-01T10:00:00Z }
`,
  );
});

async function exportCsv(values: Record<string, string | boolean>) {
  let err = '';
  let out = '';
  const ctx: CommandContext = {
    dataDir,
    rootDir: root,
    cwd: root,
    env: {},
    stdout: () => {},
    stderr: (t) => (err += `${t}\n`),
    stdoutRaw: async (t) => {
      out += t;
    },
    isTTY: false,
  };
  const code = await exportCsvCommand.run({ values, positionals: ['csv'], rest: [] }, ctx);
  return { code, err, out };
}

function readCsv(file: string): Array<Record<string, string>> {
  const script = 'import csv,json,sys; print(json.dumps(list(csv.DictReader(open(sys.argv[1], newline="", encoding="utf-8-sig")))))';
  return JSON.parse(execFileSync('python3', ['-c', script, file], { encoding: 'utf8' }));
}

describe('labbook export csv', () => {
  it("writes an experiment's runs", async () => {
    const { code, err } = await exportCsv({ experiment: 'demo', output: 'out/runs.csv' });
    expect(code).toBe(0);
    expect(err).toContain('wrote 3 runs of demo');
    expect(readCsv(join(root, 'out/runs.csv')).map((r) => r.run_id)).toEqual([runA.id, runB.id, runC.id]);
  });

  it("writes a run's traces with annotation columns, reduced and neutralised, and warns about what it left out", async () => {
    const { code, err } = await exportCsv({ experiment: 'demo', run: runA.id, output: 'out/traces.csv', excel: true });
    expect(code).toBe(0);
    expect(err).toMatch(/error: .*ada\.yaml:4:\d+: .*\(the annotation is left out\)/);
    const rows = readCsv(join(root, 'out/traces.csv'));
    expect(rows).toHaveLength(20);
    expect(rows[0]).toMatchObject({ trace_id: 't1', 'annotation.reviewer_score': '0.75', 'annotation.verdict': '' });
    expect(rows[1]).toMatchObject({ trace_id: 't2', 'annotation.verdict': "'=cmd|' /C calc'!A0" });
    expect(rows[2]).toMatchObject({ trace_id: 't3', 'annotation.reviewer_score': '' });
    expect(readFileSync(join(root, 'out/traces.csv')).subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
  });

  it('writes a comparison: one row per example, a column group per run, the deltas', async () => {
    const { code } = await exportCsv({ experiment: 'demo', compare: `${runA.id},${runB.id},${runC.id}`, output: 'out/compare.csv' });
    expect(code).toBe(0);
    const rows = readCsv(join(root, 'out/compare.csv'));
    expect(rows).toHaveLength(20); // C lacks ex19 and ex20: kept, marked, with empty cells
    const byExample = new Map(rows.map((r) => [r.example_id, r]));
    // ex4: A fails (i % 4 == 0), B passes; ex10: A passes, B fails.
    expect(byExample.get('ex4')).toMatchObject({
      in_all_runs: 'true',
      input: '{"question":"What is 4 + 4?"}',
      expected: 'The answer is 8',
      [`${runA.id}.score.correct`]: 'false',
      [`${runB.id}.score.correct`]: 'true',
      [`${runA.id}.output`]: 'The answer is 9',
      [`delta.${runB.id}.correct`]: '1',
      [`delta.${runB.id}.latency_ms`]: '10',
      [`delta.${runC.id}.latency_ms`]: '20',
      winner: 'tie',
      output_changed: 'true',
    });
    expect(byExample.get('ex10')).toMatchObject({ [`delta.${runB.id}.correct`]: '-1' });
    expect(byExample.get('ex20')).toMatchObject({ in_all_runs: 'false', [`${runC.id}.trace_id`]: '', [`delta.${runC.id}.correct`]: '' });
    expect(Object.keys(rows[0]!)).toContain(`${runA.id}.annotation.reviewer_score`);
    expect(Object.keys(rows[0]!)).not.toContain(`delta.${runB.id}.tone`); // labels have no difference
  });

  it('refuses unknown runs, runs of another experiment and wrong counts, writing no file', async () => {
    await expect(exportCsv({ experiment: 'demo', run: 'no-such-run', output: 'out/x.csv' })).rejects.toThrow(/run not found: no-such-run/);
    await expect(exportCsv({ experiment: 'other', run: runA.id, output: 'out/x.csv' })).rejects.toThrow(/experiment not found: other/);
    await expect(exportCsv({ experiment: 'demo', compare: `${runA.id},nope-nope`, output: 'out/x.csv' })).rejects.toBeInstanceOf(
      LabbookError,
    );
    await expect(exportCsv({ experiment: 'demo', compare: runA.id, output: 'out/x.csv' })).rejects.toThrow(
      /2 to 4 comma-separated run ids, got 1/,
    );
    await expect(
      exportCsv({ experiment: 'demo', run: runA.id, compare: `${runA.id},${runB.id}`, output: 'out/x.csv' }),
    ).rejects.toBeInstanceOf(UsageError);
    expect(existsSync(join(root, 'out/x.csv'))).toBe(false);
  });

  it('writes to stdout without -o or with -o -, the same text as to a file, and makes no file named "-"', async () => {
    const targets: Record<string, string>[] = [{ experiment: 'demo' }, { run: runA.id }, { compare: `${runA.id},${runB.id}` }];
    for (const values of targets) {
      const toFile = await exportCsv({ ...values, output: 'out/same.csv', excel: true });
      const written = readFileSync(join(root, 'out/same.csv'), 'utf8');
      const bare = await exportCsv({ ...values, excel: true });
      const dash = await exportCsv({ ...values, output: '-', excel: true });
      expect(toFile.out).toBe('');
      expect(bare).toMatchObject({ code: 0, out: written });
      expect(bare.err).not.toContain('wrote'); // stdout holds the CSV alone, and stderr says no file was written
      expect(dash.out).toBe(written);
      expect(written.split('\r\n').length).toBeGreaterThan(2);
    }
    expect(existsSync(join(root, '-'))).toBe(false);
  });
});
