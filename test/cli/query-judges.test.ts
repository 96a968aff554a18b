import Papa from 'papaparse';
import { beforeAll, describe, expect, it } from 'vitest';
import { cohenKappaInterval } from '../../src/annotations/kappa-interval.ts';
import { meanBias, pearson, spearman } from '../../src/stats/correlation.ts';
import { judged, makeJudgeFixture, MARKUP_JUDGE, TRACES, type JudgeFixture } from '../helpers/judge-fixture.ts';
import { runCli } from '../helpers/run-cli.ts';
import { tempDir } from '../helpers/temp-dir.ts';

/** `labbook query --by judge`: judges beside people as a table, JSON and CSV, numbers from the stats functions. */
const root = tempDir('labbook-query-judges-');
let fixture: JudgeFixture;
beforeAll(async () => {
  fixture = await makeJudgeFixture(root);
});
const cli = (...argv: string[]) => runCli(['query', '--data', fixture.dataDir, ...argv], { cwd: root });

const items = Array.from({ length: TRACES }, (_, k) => judged(k + 1));
const people = items.map((j) => (j.people[0]! + j.people[1]!) / 2);
const gpt = items.map((j) => j.gpt);

describe('labbook query --by judge', () => {
  it('json: each judge with the statistics the stats functions give, and the no-overlap run', async () => {
    const result = await cli('--run', fixture.judgedRun, '--run', fixture.otherRun, '--by', 'judge', '--format', 'json');
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toBe('');
    const json = JSON.parse(result.stdout);
    expect(json.by).toBe('judge');
    const [judgedRun, otherRun] = json.runs;
    expect(judgedRun.judges.state).toBe('compared');
    expect(judgedRun.judges.rows.map((r: { name: string; judge: string }) => `${r.name}/${r.judge}`)).toEqual([
      `helpful/${MARKUP_JUDGE}`,
      'helpful/length',
      'tone/llm_judge',
    ]);
    const row = judgedRun.judges.rows[0];
    expect(row.n).toBe(TRACES);
    const r = pearson(gpt, people);
    expect(row.estimate).toEqual({ value: r.r, low: r.low, high: r.high });
    const s = spearman(gpt, people);
    expect(row.spearman).toEqual({ value: s.r, low: s.low, high: s.high });
    const b = meanBias(gpt, people);
    expect(row.bias).toEqual({ value: b.mean, low: b.low, high: b.high });
    expect(row.tolerance).toBeCloseTo(0.2, 12);
    expect(row.disagreements).toBe(gpt.filter((g, i) => Math.abs(g - people[i]!) > 0.2 + 1e-9).length);
    // Labels: the people agree with each other on every trace here, so their label is the value.
    const k = cohenKappaInterval(items.map((j) => [j.tone, j.peopleTone] as const));
    expect(judgedRun.judges.rows[2].estimate).toEqual({ value: k.kappa, low: k.low, high: k.high });
    expect(judgedRun.judges.errors).toHaveLength(1);
    expect(otherRun.judges).toMatchObject({ state: 'no-overlap', annotatedNames: ['verdict'], rows: [] });
  });

  it('table: one line per judge with the interval, and says which run had no overlap', async () => {
    const result = await cli('--run', fixture.judgedRun, '--run', fixture.otherRun, '--by', 'judge');
    expect(result.code, result.stderr).toBe(0);
    const r = pearson(gpt, people);
    const line = result.stdout.split('\n').find((l) => l.startsWith('helpful') && l.includes('gpt'))!;
    expect(line).toContain(`r ${r.r!.toFixed(2)} [${r.low!.toFixed(2)}, ${r.high!.toFixed(2)}]`);
    expect(line).toMatch(new RegExp(`\\s${TRACES}\\s`));
    expect(result.stdout).toMatch(/^tone\s+llm_judge\s.*κ /m);
    expect(result.stdout).toContain(`${fixture.otherRun}: No overlap: people annotated verdict`);
    expect(result.stdout).toMatch(/helpful: errors of .* correlate r /);
    expect(result.stdout).toMatch(/helpful: 2 judges are worth about \d\.\d\d independent ones/);
  });

  it('csv: numbers as numbers, one row per judge', async () => {
    const result = await cli('--run', fixture.judgedRun, '--by', 'judge', '--format', 'csv');
    expect(result.code, result.stderr).toBe(0);
    const rows = Papa.parse<Record<string, string>>(result.stdout.trim(), { header: true }).data;
    expect(rows.map((r) => r.judge)).toEqual([MARKUP_JUDGE, 'length', 'llm_judge']);
    expect(Number(rows[0]!.value)).toBeCloseTo(pearson(gpt, people).r!, 12);
    expect(rows[2]!.statistic).toBe('kappa');
  });

  it('refuses --metric with --by judge', async () => {
    const result = await cli('--run', fixture.judgedRun, '--by', 'judge', '--metric', 'tokens');
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--metric does not apply to --by judge');
  });
});
