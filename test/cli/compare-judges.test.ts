import { beforeAll, describe, expect, it } from 'vitest';
import { pearson } from '../../src/stats/correlation.ts';
import { alphaWords, intervalAlpha } from '../../src/stats/krippendorff-alpha.ts';
import { formatNumber } from '../../src/text/format-table.ts';
import { judged, makeJudgeFixture, MARKUP_JUDGE, TRACES, type JudgeFixture } from '../helpers/judge-fixture.ts';
import { runCli } from '../helpers/run-cli.ts';
import { tempDir } from '../helpers/temp-dir.ts';

/** `labbook compare` shows each run's judges beside its people, after the comparison. */
const root = tempDir('labbook-compare-judges-');
let fixture: JudgeFixture;
beforeAll(async () => {
  fixture = await makeJudgeFixture(root);
});
const cli = (...argv: string[]) => runCli(['compare', '--data', fixture.dataDir, ...argv], { cwd: root });
const items = Array.from({ length: TRACES }, (_, k) => judged(k + 1));
const r = pearson(
  items.map((j) => j.gpt),
  items.map((j) => (j.people[0]! + j.people[1]!) / 2),
);

describe('labbook compare: judges and people', () => {
  it('json: a judges entry per run, in the order given', async () => {
    const result = await cli(fixture.judgedRun, fixture.otherRun, '--format', 'json');
    expect(result.code, result.stderr).toBe(0);
    const json = JSON.parse(result.stdout);
    expect(json.judges.map((j: { run: string; state: string }) => [j.run, j.state])).toEqual([
      [fixture.judgedRun, 'compared'],
      [fixture.otherRun, 'no-overlap'],
    ]);
    expect(json.judges[0].rows[0]).toMatchObject({ judge: MARKUP_JUDGE, n: TRACES, estimate: { value: r.r, low: r.low, high: r.high } });
    expect(json.judges[0].rows.map((row: { name: string }) => row.name)).toEqual(['helpful', 'helpful', 'tone']);
  });

  it('table and markdown: the section per run letter, with intervals; markup in a judge name escaped in markdown', async () => {
    const table = await cli(fixture.judgedRun, fixture.otherRun);
    expect(table.code, table.stderr).toBe(0);
    const section = table.stdout.slice(table.stdout.indexOf('\nJudges and people\n'));
    expect(section).toMatch(
      new RegExp(
        `^A\\s+helpful\\s+gpt <b>judge</b>\\s+${TRACES}\\s+r ${r.r!.toFixed(2)} \\[${r.low!.toFixed(2)}, ${r.high!.toFixed(2)}\\]`,
        'm',
      ),
    );
    expect(section.replace(/\n {2}/g, ' ')).toContain(`B (${fixture.otherRun}): No overlap: people annotated verdict`);
    // Like the rest of compare's default output, the block fits a 100-column terminal.
    expect(Math.max(...table.stdout.split('\n').map((l) => l.length))).toBeLessThanOrEqual(100);
    const markdown = await cli(fixture.judgedRun, fixture.otherRun, '--format', 'markdown');
    expect(markdown.stdout).toContain('### Judges and people');
    expect(markdown.stdout).toContain('gpt \\<b\\>judge\\</b\\>');
    expect(markdown.stdout).not.toContain('<b>judge</b>');
  });

  it('people: how far the annotators agree over the compared runs, in json, table and markdown', async () => {
    const helpful = intervalAlpha(items.map((j) => j.people));
    const json = JSON.parse((await cli(fixture.judgedRun, fixture.otherRun, '--format', 'json')).stdout);
    expect(json.people.map((a: { name: string; kind: string; items: number }) => [a.name, a.kind, a.items])).toEqual([
      ['helpful', 'metric', TRACES],
      ['tone', 'label', TRACES],
      ['verdict', 'label', 1],
    ]);
    expect(json.people[0].alpha).toBeCloseTo(helpful.alpha!, 12);
    // The interval resamples the traces in the summary's own order: its own draws, near the statistic's.
    const [low, high] = json.people[0].alphaInterval as [number, number];
    expect(low).toBeLessThan(helpful.alpha!);
    expect(high).toBeGreaterThan(helpful.alpha!);
    expect(low).toBeCloseTo(helpful.low!, 0);
    expect(high).toBeCloseTo(helpful.high!, 0);

    const table = await cli(fixture.judgedRun, fixture.otherRun);
    const section = table.stdout.slice(table.stdout.indexOf('\nPeople: how far the annotators agree, over these runs together\n'));
    expect(section.replace(/\n {4}/g, ' ')).toContain(
      `helpful: Krippendorff's α = ${formatNumber(helpful.alpha)} [${formatNumber(low)}, ${formatNumber(high)}] (${alphaWords(helpful.alpha!)}); spread:`,
    );
    // Ada and Ben gave every trace the same tone; they met on one verdict, both "approved".
    expect(section.replace(/\n {4}/g, ' ')).toContain(
      "tone: Cohen's κ = 1 (almost perfect), Krippendorff's α = 1 [1, 1] (reliable) over 12 traces judged by 2 people",
    );
    expect(section).toContain("verdict: Cohen's κ undefined (everyone used one label) over 1 trace judged by 2 people");
    expect(Math.max(...table.stdout.split('\n').map((l) => l.length))).toBeLessThanOrEqual(100);
    const markdown = await cli(fixture.judgedRun, fixture.otherRun, '--format', 'markdown');
    expect(markdown.stdout).toContain('### People');
    expect(markdown.stdout).toContain("- **tone**: Cohen's κ = 1 (almost perfect), Krippendorff's α = 1 \\[1, 1\\] (reliable)");
  });

  it('says nothing about judges when no run has annotations', async () => {
    const { rmSync } = await import('node:fs');
    const { join } = await import('node:path');
    const bare = tempDir('labbook-compare-judges-none-');
    const f = await makeJudgeFixture(bare);
    rmSync(join(f.dataDir, 'demo', 'annotations'), { recursive: true });
    const result = await runCli(['compare', '--data', f.dataDir, f.judgedRun, f.otherRun], { cwd: bare });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).not.toContain('Judges and people');
    expect(result.stdout).not.toContain('People:');
  });
});
