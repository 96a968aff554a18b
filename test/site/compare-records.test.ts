import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { annotationsForRuns } from '../../src/annotations/annotations-for-runs.ts';
import { compareRuns } from '../../src/compare/compare-runs.ts';
import { comparePerTrace } from '../../src/compare/per-trace.ts';
import { loadSite } from '../../site/build/load-site.ts';
import { buildCompareTable, defaultJudgeMetric, filterCompareTable, judgeMetrics } from '../../site/view/compare-table.ts';
import { compareInputFromRows } from '../../site/view/compare-records.ts';
import { compareRecordsFromTraces } from '../../src/compare/compare-record.ts';
import type { RunAnnotationsFile } from '../../site/view/run-annotations-file.ts';
import { runDataPaths, type RunMeta } from '../../site/view/run-meta.ts';
import { readSiteRows } from '../../site/build/read-site-rows.ts';
import { writeSiteData } from '../../site/build/write-site-data.ts';
import { readAllTraces } from '../helpers/run-traces.ts';
import { type FixtureInfo, makeFixture } from './fixtures/make-fixture.ts';

/**
 * The compare page runs the compare engine in the browser on traces rebuilt from the rows pages.
 * These must give the same comparison as the engine on the real traces (what `labbook
 * compare` prints), or the site and the CLI would disagree.
 */
describe('comparing from the rows pages', () => {
  let root: string;
  let fixture: FixtureInfo;
  let out: string;

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'labbook-rows-'));
    fixture = await makeFixture(root);
    out = join(root, 'site');
    await writeSiteData(await loadSite(fixture.dataDir), out);
  });
  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  async function fromRows(runIds: string[]) {
    return Promise.all(
      runIds.map(async (id) => {
        const paths = runDataPaths(fixture.experiments.qa, id);
        return {
          meta: JSON.parse(await readFile(join(out, paths.meta), 'utf8')) as RunMeta,
          rows: await readSiteRows(out, fixture.experiments.qa, id),
        };
      }),
    );
  }

  /** What the compare page hands the engine: each run's annotations.json entries. */
  async function annotationsFromSite(runIds: string[]) {
    const files = await Promise.all(
      runIds.map(
        async (id) =>
          JSON.parse(await readFile(join(out, runDataPaths(fixture.experiments.qa, id).annotations), 'utf8')) as RunAnnotationsFile,
      ),
    );
    return files.flatMap((f) => f.entries);
  }

  /** What `labbook compare` reads: the traces and the experiment's annotation files. */
  async function fromTraces(runIds: string[]) {
    const site = await loadSite(fixture.dataDir);
    const experiment = site.experiments.find((e) => e.name === fixture.experiments.qa)!;
    const runs = runIds.map((id) => experiment.runs.find((r) => r.manifest.id === id)!);
    const { entries } = await annotationsForRuns(fixture.dataDir, fixture.experiments.qa, runIds, { onProblem: () => {} });
    return {
      experiment: experiment.definition,
      runs: await Promise.all(
        runs.map(async (r) => ({
          manifest: r.manifest,
          records: compareRecordsFromTraces(await readAllTraces(r.dir), experiment.definition.cluster),
          config: r.config ?? {},
        })),
      ),
      annotations: entries,
    };
  }

  it('gives the same metrics, deltas, tests and verdicts as the real traces, annotations included', async () => {
    const ids = [fixture.runs.baseline, fixture.runs.candidate];
    const browser = compareRuns(compareInputFromRows(await fromRows(ids), await annotationsFromSite(ids)));
    const cli = compareRuns(await fromTraces(ids));
    expect(browser.metrics).toEqual(cli.metrics);
    expect(browser.alignment).toEqual(cli.alignment);
    expect(browser.configDiff).toEqual(cli.configDiff);
    expect(browser.metrics.map((m) => m.name)).toEqual(
      expect.arrayContaining(['correct', 'f1', 'verdict', 'reviewer_score', 'verdict (annotation)', 'latencyMs', 'tokens', 'cost']),
    );
    expect(browser.metrics.find((m) => m.name === 'reviewer_score')).toMatchObject({ source: 'annotation', direction: 'higher', n: 3 });
    const loaded = await fromRows(ids);
    const judged = defaultJudgeMetric(
      loaded.map((l) => l.rows),
      loaded[0]!.meta.experiment,
    );
    expect(judged?.key).toBe(cli.metrics.find((m) => m.primary)!.name);
  });

  it('finds the same winners and changed outputs per example', async () => {
    const ids = [fixture.runs.baseline, fixture.runs.candidate];
    const browser = comparePerTrace(compareInputFromRows(await fromRows(ids), await annotationsFromSite(ids)), { diffs: false });
    const cli = comparePerTrace(await fromTraces(ids), { diffs: false });
    expect(browser.map((r) => [r.example, r.winner, r.changed])).toEqual(cli.map((r) => [r.example, r.winner, r.changed]));
    expect(browser.map((r) => r.runs.map((c) => c?.annotations))).toEqual(cli.map((r) => r.runs.map((c) => c?.annotations)));
    expect(browser.some((r) => r.winner === fixture.runs.candidate)).toBe(true);
  });

  it('aligns the traces table like the engine: same examples, winners and changed outputs', async () => {
    const ids = [fixture.runs.baseline, fixture.runs.candidate];
    const loaded = await fromRows(ids);
    const engine = comparePerTrace(await fromTraces(ids), { examples: 'all', diffs: false });
    const table = buildCompareTable(
      loaded.map((l) => l.rows),
      { source: 'score', key: 'correct', label: 'correct', direction: 'higher', kind: 'boolean' },
    );
    expect(table.examples).toEqual(engine.map((r) => r.example));
    const winners = Array.from(table.winner, (w) => (w === -1 ? null : w === -2 ? 'tie' : ids[w]));
    expect(winners).toEqual(engine.map((r) => r.winner));
    expect(Array.from(table.changed, (c) => (c === -1 ? null : c === 1))).toEqual(engine.map((r) => r.changed));

    const rows = loaded.map((l) => l.rows);
    const metric = { source: 'score', key: 'correct', label: 'correct', direction: 'higher', kind: 'boolean' } as const;
    const better = filterCompareTable(table, rows, metric, { kind: 'better', a: 1, b: 0 });
    const regressions = filterCompareTable(table, rows, metric, { kind: 'regressions' });
    const value = (r: number, k: number) => rows[r]!.scores.find((c) => c.name === 'correct')!.values[table.rowOf[r]![k]!];
    expect(better.length).toBeGreaterThan(0);
    for (const k of better) expect([value(1, k), value(0, k)]).toEqual([1, 0]);
    for (const k of regressions) expect([value(1, k), value(0, k)]).toEqual([0, 1]);
    expect(better.length + regressions.length).toBeLessThan(table.examples.length);
    expect(filterCompareTable(table, rows, metric, { kind: 'changed' }).length).toBe(table.changed.filter((c) => c === 1).length);
    expect(filterCompareTable(table, rows, metric, { kind: 'all' }, 'odyssey').length).toBe(2);

    // Annotation metrics can be judged on too, apart from a score of the same name.
    const reviewer = judgeMetrics(rows, loaded[0]!.meta.experiment.metrics).find(
      (m) => m.source === 'annotation' && m.key === 'reviewer_score',
    )!;
    expect(reviewer).toMatchObject({ label: 'reviewer_score (annotation)', direction: 'higher' });
    const byReviewer = buildCompareTable(rows, reviewer);
    const engineByExample = new Map(engine.map((r) => [r.example, r]));
    for (let k = 0; k < byReviewer.examples.length; k++) {
      const cells = engineByExample.get(byReviewer.examples[k]!)!.runs.map((c) => c?.annotations.reviewer_score);
      if (cells.filter((v) => v !== undefined).length < 2) expect(byReviewer.winner[k]).toBe(-1);
      else expect(byReviewer.winner[k]).toBe(cells[0]! > cells[1]! ? 0 : cells[0]! < cells[1]! ? 1 : -2);
    }
    expect(Array.from(byReviewer.winner).filter((w) => w >= 0).length).toBe(3);
    // Examples where some run's annotators disagree: ex-001 (both runs).
    const disputed = filterCompareTable(table, rows, metric, { kind: 'disagreements' });
    expect(Array.from(disputed, (k) => table.examples[k])).toEqual(['ex-001']);
    // Where the llm_judge's verdict and the people's part ways: the candidate's t000 and t002 (test/site/judges.test.ts).
    const judged = filterCompareTable(table, rows, metric, { kind: 'judge-disagreements' });
    expect(Array.from(judged, (k) => table.examples[k])).toEqual(['ex-000', 'ex-002']);
  });
});
