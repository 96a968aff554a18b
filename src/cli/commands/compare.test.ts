import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { TraceWriter } from '../../store/trace-writer.ts';
import { createLocalRun } from '../../../test/helpers/local-run.ts';
import { finishRun } from '../../store/finish-run.ts';
import { runCli } from '../../../test/helpers/run-cli.ts';
import { minimumDetectableEffect } from '../../stats/power.ts';
import { tempDir } from '../../../test/helpers/temp-dir.ts';

// Two real runs in a real data folder: 30 examples, run B answers more of them correctly and
// faster; an annotation file judges two traces of B.
const root = tempDir('labbook-compare-');
const data = join(root, 'experiments');
const ids: string[] = [];

async function makeRun(name: string, model: string, better: boolean): Promise<string> {
  const { dir, manifest } = await createLocalRun({
    root,
    dataDir: data,
    experiment: 'exp',
    config: name,
    configText: `model: ${model}\nparams:\n  temperature: 0.2\n`,
  });
  const writer = new TraceWriter(dir);
  for (let i = 0; i < 30; i++) {
    const correct = better ? i % 10 !== 0 : i % 2 === 0;
    writer.append({
      id: `t${i}`,
      exampleId: `ex-${i}`,
      input: { q: i },
      output: correct ? `the answer is ${i}` : `maybe ${i + 1}`,
      start: 0,
      end: 10,
      durationMs: better ? 50 + i : 80 + 2 * i,
      scores: [
        { name: 'correct', value: correct },
        { name: 'style', value: i % 3 === 0 ? 'short' : 'long' },
      ],
    });
  }
  writer.close();
  await finishRun(dir);
  return manifest.id;
}

beforeAll(async () => {
  mkdirSync(join(data, 'exp'), { recursive: true });
  writeFileSync(
    join(data, 'exp', 'experiment.yaml'),
    'name: exp\nprimaryMetric: correct\nmetrics:\n  - { name: correct, kind: boolean, direction: higher, minEffect: 0.1 }\nannotations:\n  metrics:\n    reviewer_score: { min: 0, max: 1 }\n',
  );
  ids.push(await makeRun('base', 'small', false));
  ids.push(await makeRun('next', 'large', true));
  mkdirSync(join(data, 'exp', 'annotations'));
  writeFileSync(
    join(data, 'exp', 'annotations', 'ann.yaml'),
    [0, 1]
      .map((i) => `- { run: ${ids[1]}, trace: t${i}, name: reviewer_score, value: 0.${i + 5}, author: ann, at: "2025-01-01T00:00:00Z" }`)
      .join('\n') + '\n',
  );
});

describe('labbook compare', () => {
  it('fits a 100-column terminal by default: a block per metric, run names, wrapped notes that name runs', async () => {
    const r = await runCli(['compare', ids[0]!, ids[1]!], { cwd: root });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(Math.max(...lines.map((l) => l.length))).toBeLessThanOrEqual(100);
    expect(r.stdout).toMatch(/^correct \(primary\) · higher is better · boolean · n = 30$/m);
    expect(r.stdout).toMatch(/^latency \(ms\) · lower is better · n = 30$/m);
    expect(r.stdout).not.toMatch(/[↑↓]|latencyMs/);
    expect(r.stdout).toMatch(/^ {2}A \S+\s+50\.0% \[[^\n]*baseline$/m);
    expect(r.stdout).toMatch(/^ {2}B \S+\s+90\.0% \[[^\n]*Δ \+40\.0 pp \[\+[^\n]*p [^\n]* better$/m);
    expect(r.stdout).toMatch(/30 of 30 examples are in every run/);
    expect(r.stdout).toMatch(/B vs A: model "small" → "large"/);
    expect(r.stdout).toMatch(/! reviewer_score: no values in run A "/);
    expect(r.stdout).not.toContain(`run ${ids[0]}`);
    const narrow = await runCli(['compare', ids[0]!, ids[1]!, '--width', '60'], { cwd: root });
    expect(
      Math.max(
        ...narrow.stdout
          .trimEnd()
          .split('\n')
          .map((l) => l.length),
      ),
    ).toBeLessThanOrEqual(60);
    expect(narrow.stdout).toMatch(/better/);
    expect((await runCli(['compare', ids[0]!, ids[1]!, '--width', '10'], { cwd: root })).stderr).toMatch(
      /--width must be between 40 and 1000/,
    );
  });

  it('prints the full table with --wide: a verdict per metric, the alignment and the config change', async () => {
    const r = await runCli(['compare', ids[0]!, ids[1]!, '--wide'], { cwd: root });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Comparison of 2 runs of exp, against A/);
    expect(r.stdout).toMatch(/correct \*\s+boolean\s+higher is better\s+A\s+30\s+50\.0% \[/);
    expect(r.stdout).toMatch(/\n\s+B\s+90\.0% \[[^\n]*\+40\.0 pp \[[^\n]*mcnemar-exact[^\n]*better/);
    expect(r.stdout).toMatch(/latency \(ms\)\s+latency\s+lower is better/);
    expect(r.stdout).not.toMatch(/[↑↓]|latencyMs/);
    expect(r.stdout).toMatch(/style\s+label/);
    expect(r.stdout).toMatch(/30 of 30 examples are in every run/);
    expect(r.stdout).toMatch(/B vs A: model "small" → "large"/);
    expect(r.stdout).toMatch(/reviewer_score: no values in run /);
  });

  it('prints the documented JSON, with per-trace rows on request', async () => {
    const r = await runCli(['compare', ids[0]!, ids[1]!, '--format', 'json', '--traces', '--seed', '7', '--resamples', '500'], {
      cwd: root,
    });
    expect(r.code).toBe(0);
    const c = JSON.parse(r.stdout);
    expect(c.settings.bootstrap).toEqual({ method: 'paired percentile', prng: 'mulberry32', seed: 7, resamples: 500 });
    const correct = c.metrics.find((m: { name: string }) => m.name === 'correct');
    expect(Object.keys(correct)).toEqual(expect.arrayContaining(['name', 'direction', 'n', 'runs', 'deltas']));
    expect(Object.keys(correct.runs[0])).toEqual(expect.arrayContaining(['mean', 'ci']));
    expect(Object.keys(correct.deltas[0])).toEqual(
      expect.arrayContaining(['vs', 'delta', 'ci', 'test', 'statistic', 'pValue', 'pAdjusted', 'verdict']),
    );
    expect(correct.deltas[0]).toMatchObject({ run: ids[1], vs: ids[0], verdict: 'better' });
    const reviewer = c.metrics.find((m: { name: string }) => m.name === 'reviewer_score');
    expect(reviewer).toMatchObject({ source: 'annotation', runs: [{ mean: null }, { mean: 0.55 }] });
    expect(c.perTrace).toHaveLength(30);
    const row = (example: string) => c.perTrace.find((r: { example: string }) => r.example === example);
    expect(row('ex-0')).toMatchObject({ winner: ids[0], changed: true });
    expect(row('ex-1')).toMatchObject({ winner: ids[1], changed: true, diffs: [{ run: ids[1], vs: ids[0] }] });
    expect(row('ex-2')).toMatchObject({ winner: 'tie', changed: false, diffs: [] });
    expect(row('ex-1').runs[1].annotations).toEqual({ reviewer_score: 0.6 });
  });

  it('renders markdown', async () => {
    const r = await runCli(['compare', ids[0]!, ids[1]!, '--format', 'markdown'], { cwd: root });
    expect(r.stdout).toMatch(/^### Comparison of 2 runs of exp/);
    expect(r.stdout).toMatch(/\| metric \| kind \| direction \| run \| n \|/);
    expect(r.stdout).toMatch(/\| correct \* \| boolean \| higher is better \| A \|/);
    expect(r.stdout).toMatch(/\| latency \(ms\) \| latency \| lower is better \| A \|/);
    expect(r.stdout).toMatch(/\*\*Config changes\*\*/);
  });

  it('explains bad arguments', async () => {
    expect((await runCli(['compare', ids[0]!], { cwd: root })).stderr).toMatch(/give 2 to 4 run ids, got 1/);
    expect((await runCli(['compare', ids[0]!, ids[1]!, '--format', 'csv'], { cwd: root })).stderr).toMatch(
      /--format must be one of table, json, markdown/,
    );
    expect((await runCli(['compare', ids[0]!, ids[1]!, '--traces'], { cwd: root })).stderr).toMatch(
      /--traces only applies to --format json/,
    );
    for (const [format, flags, refusal] of [
      ['json', ['--wide'], /--wide only applies to the table \(--format json has every column\)/],
      ['markdown', ['--wide'], /--wide only applies to the table/],
      ['json', ['--width', '120'], /--width only applies to the table, not --format json/],
      ['markdown', ['--width', '120'], /--width only applies to the table, not --format markdown/],
    ] as const) {
      const ignored = await runCli(['compare', ids[0]!, ids[1]!, '--format', format, ...flags], { cwd: root });
      expect([ignored.code, ignored.stdout]).toEqual([2, '']);
      expect(ignored.stderr).toMatch(refusal);
    }
    const same = await runCli(['compare', ids[0]!, ids[0]!], { cwd: root });
    expect(same.code).toBe(1);
    expect(same.stderr).toBe(
      `labbook compare: run ${ids[0]} is given 2 times: a run compared with itself differs by nothing; give 2 to 4 different runs (\`labbook ls <experiment>\` lists them)\n`,
    );
    const aliased = await runCli(['compare', ids[0]!, ids[0]!.slice(-6)], { cwd: root });
    expect(aliased.stderr).toMatch(new RegExp(`run ${ids[0]} is named 2 times \\("${ids[0]}", "${ids[0]!.slice(-6)}"\\)`));
    expect(aliased.stderr).not.toMatch(/usage:/);
    for (const resamples of ['99', '100001']) {
      const bounded = await runCli(['compare', ids[0]!, ids[1]!, '--resamples', resamples], { cwd: root });
      expect(bounded.code).toBe(2);
      expect(bounded.stderr).toContain(`bootstrap resamples must be a whole number from 100 to 100000, got ${resamples}`);
    }
    const missing = await runCli(['compare', ids[0]!, 'nosuchrun'], { cwd: root });
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/nosuchrun/);
  });
});

describe('labbook plan', () => {
  it('prints the examples needed to detect the MDE from the run’s spread, by the formula', async () => {
    const r = await runCli(['plan', '--run', ids[0]!, '--metric', 'correct', '--mde', '0.1'], { cwd: root });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    // Run A passes every other example: sd = √(0.25 · 30/29); the plan's sd of a difference is sd·√2.
    const sdDifference = Math.sqrt((0.25 * 30) / 29) * Math.SQRT2;
    const n = Number(/examples needed to detect a difference of 0\.1 \(α = 0\.05, power 0\.8\): (\d+)/.exec(r.stdout)![1]);
    expect(minimumDetectableEffect(sdDifference, n)!).toBeLessThanOrEqual(0.1);
    expect(minimumDetectableEffect(sdDifference, n - 1)!).toBeGreaterThan(0.1);
    expect(r.stdout).toContain('correct in ');
    expect(r.stdout).toContain('30 examples, sd 0.509');
  });

  it('names the flag that is wrong', async () => {
    expect((await runCli(['plan', '--run', ids[0]!, '--metric', 'correct'], { cwd: root })).stderr).toContain('--mde is required');
    expect(
      (await runCli(['plan', '--run', ids[0]!, '--metric', 'correct', '--mde', '0.1', '--alpha', '5'], { cwd: root })).stderr,
    ).toContain('--alpha must be a number between 0 and 1, got "5"');
    expect((await runCli(['plan', '--run', ids[0]!, '--metric', 'nope', '--mde', '0.1'], { cwd: root })).stderr).toContain(
      'has no numeric or boolean score "nope"',
    );
  });
});
