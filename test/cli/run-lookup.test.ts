import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { locateRun } from '../../src/store/store.ts';
import { writeRun, type FixtureRun } from '../helpers/analysis-store.ts';
import { runCli } from '../helpers/run-cli.ts';
import { tempDir } from '../helpers/temp-dir.ts';

/**
 * Run ids as the README promises them, in every command that takes one: the full id, a unique
 * prefix or suffix (6+ characters), or the run's name when one run has it; never --experiment;
 * an ambiguous reference lists its candidates.
 */
const root = tempDir('labbook-run-lookup-');
const dataDir = join(root, 'experiments');
let baseline: FixtureRun;
let candidate: FixtureRun;
let third: FixtureRun;

beforeAll(async () => {
  execFileSync('git', ['init', '-q', '-b', 'main', root]);
  baseline = await writeRun(root, dataDir, { variant: 0, name: 'baseline' });
  candidate = await writeRun(root, dataDir, { variant: 1, name: 'tool-first' });
  third = await writeRun(root, dataDir, { variant: 2, name: 'tool-first' });
});

const cli = (...argv: string[]) => runCli(argv, { cwd: root });

describe('locateRun', () => {
  it('finds a run by id, unique prefix, unique suffix and unique name', async () => {
    expect((await locateRun(dataDir, baseline.id)).runId).toBe(baseline.id);
    expect((await locateRun(dataDir, baseline.id.slice(0, 8))).runId).toBe(baseline.id); // 20260101: one run per day
    expect((await locateRun(dataDir, candidate.id.slice(-6))).runId).toBe(candidate.id);
    expect(await locateRun(dataDir, 'baseline')).toMatchObject({ experiment: 'demo', runId: baseline.id });
  });

  it('lists the candidates of an ambiguous prefix or name, and explains a short or unknown one', async () => {
    await expect(locateRun(dataDir, '202601')).rejects.toThrow(
      new RegExp(`run "202601" is ambiguous: 3 ids that start or end with it: demo/${baseline.id}, demo/${candidate.id}, demo/${third.id}`),
    );
    await expect(locateRun(dataDir, 'tool-first')).rejects.toThrow(
      new RegExp(`run "tool-first" is ambiguous: 2 runs of that name; give an id: demo/${candidate.id}, demo/${third.id}`),
    );
    await expect(locateRun(dataDir, '2026')).rejects.toThrow(/at least 6 characters/);
    await expect(locateRun(dataDir, 'no-such-run')).rejects.toThrow(/run not found: no-such-run/);
  });
});

describe('a qualified reference and a run folder', () => {
  it('takes experiment/ref, the form an ambiguous reference lists', async () => {
    expect((await locateRun(dataDir, `demo/${third.id}`)).runId).toBe(third.id);
    expect((await locateRun(dataDir, `demo/${candidate.id.slice(-6)}`)).runId).toBe(candidate.id);
    expect((await locateRun(dataDir, 'demo/baseline')).runId).toBe(baseline.id);
    await expect(locateRun(dataDir, `nope/${baseline.id}`)).rejects.toThrow(/no experiment "nope" under .*"labbook ls" lists them/);
    await expect(locateRun(dataDir, 'demo/no-such-run')).rejects.toThrow(
      /no run has that id, id prefix or suffix, or name in experiment "demo"/,
    );
  });

  it('takes the folder labbook run prints, absolute or relative, with or without a trailing slash', async () => {
    expect(await locateRun(dataDir, baseline.dir)).toMatchObject({ experiment: 'demo', runId: baseline.id });
    expect((await locateRun(dataDir, `${candidate.dir}/`)).runId).toBe(candidate.id);
    expect((await locateRun(dataDir, `experiments/demo/runs/${third.id}`)).runId).toBe(third.id);
  });

  it('refuses a folder of another data folder, an unknown run folder and a path that names no run', async () => {
    const elsewhere = join(tempDir('labbook-run-lookup-other-'), 'experiments', 'demo', 'runs', baseline.id);
    await expect(locateRun(dataDir, elsewhere)).rejects.toThrow(/that folder is not in the data folder .*--data <folder> reads another/);
    await expect(locateRun(dataDir, join(dataDir, 'demo', 'runs', '20990101-000000-x'))).rejects.toThrow(
      /no run demo\/20990101-000000-x under .*"labbook ls demo" lists them/,
    );
    await expect(locateRun(dataDir, 'q/r/s')).rejects.toThrow(
      /its name when unique, any of these as <experiment>\/<run>, or its folder \(<data>\/<experiment>\/runs\/<id>\)/,
    );
  });

  it('still finds a run by a name that holds slashes', async () => {
    const slashed = await writeRun(root, dataDir, { variant: 3, name: 'gpt-4o/t0' });
    expect((await locateRun(dataDir, 'gpt-4o/t0')).runId).toBe(slashed.id);
    const deep = await writeRun(root, dataDir, { variant: 4, name: 'a/b/c' });
    expect((await locateRun(dataDir, 'a/b/c')).runId).toBe(deep.id);
    await expect(locateRun(dataDir, 'x/y/z')).rejects.toThrow(/any of these as <experiment>\/<run>, or its folder/);
  });

  it('works in the commands, relative to the working folder', async () => {
    const shown = await cli('show', `experiments/demo/runs/${baseline.id}/`, '--json');
    expect(shown.code, shown.stderr).toBe(0);
    expect(JSON.parse(shown.stdout).run.id).toBe(baseline.id);
    const compared = await cli('compare', baseline.dir, `demo/${third.id.slice(-6)}`, '--format', 'json');
    expect(compared.code, compared.stderr).toBe(0);
    expect(compared.stdout).toContain(third.id);
  });
});

describe('every command that takes a run id', () => {
  it('show', async () => {
    const result = await cli('show', 'baseline', '--json');
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout).run.id).toBe(baseline.id);
  });

  it('compare', async () => {
    const result = await cli('compare', 'baseline', third.id.slice(-6), '--format', 'json');
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain(baseline.id);
    expect(result.stdout).toContain(third.id);
  });

  it('query', async () => {
    const result = await cli('query', '--run', baseline.id.slice(0, 8), '--by', 'span-type', '--format', 'json');
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain(baseline.id);
  });

  it('annotate', async () => {
    const result = await cli('annotate', '--run', 'baseline', '--trace', 't1', '--label', 'verdict=approved', '--author', 'ada');
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout + result.stderr).toContain(baseline.id);
  });

  it('export csv (without --experiment) and export otlp', async () => {
    const traces = await cli('export', 'csv', '--run', 'baseline', '-o', join(root, 'traces.csv'));
    expect(traces.code, traces.stderr).toBe(0);
    const compared = await cli('export', 'csv', '--compare', `baseline,${candidate.id.slice(-6)}`, '-o', join(root, 'compare.csv'));
    expect(compared.code, compared.stderr).toBe(0);
    expect((await cli('export', 'csv', '-o', join(root, 'x.csv'))).stderr).toMatch(/--experiment is required \(or --run \/ --compare\)/);
    const otlp = await cli('export', 'otlp', '--run', 'baseline', '-o', join(root, 'otlp.json'));
    expect(otlp.code, otlp.stderr).toBe(0);
  });

  it('deploy check', async () => {
    const result = await cli('deploy', 'check', '--run', 'baseline', '--offline', '--json');
    expect(result.stdout).toContain(baseline.id); // a local run is not eligible, but it is the run checked
  });

  it('an ambiguous name lists the candidates, whatever the command', async () => {
    for (const argv of [
      ['show', 'tool-first'],
      ['query', '--run', 'tool-first', '--by', 'name'],
      ['export', 'otlp', '--run', 'tool-first', '-o', join(root, 'o.json')],
    ]) {
      const result = await cli(...argv);
      expect(result.code, argv.join(' ')).toBe(1);
      expect(result.stderr).toContain(
        `run "tool-first" is ambiguous: 2 runs of that name; give an id: demo/${candidate.id}, demo/${third.id}`,
      );
      expect(result.stderr).not.toContain('not found');
    }
  });
});
