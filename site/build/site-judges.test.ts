import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { judgesAndPeople } from '../../src/annotations/judges-and-people.ts';
import { judged, makeJudgeFixture, MARKUP_JUDGE, TRACES, type JudgeFixture } from '../../test/helpers/judge-fixture.ts';
import { tempDir } from '../../test/helpers/temp-dir.ts';
import { judgesSectionView } from '../view/judges-view.ts';
import type { RunAnnotationsFile } from '../view/run-annotations-file.ts';
import { runDataPaths } from '../view/run-meta.ts';
import { readSiteRows } from './read-site-rows.ts';
import type { SiteDataSummary } from '../view/site-source.ts';
import { loadSite } from './load-site.ts';
import { writeSiteData } from './write-site-data.ts';

// The data pass pairs each run's automated judges with its annotations as it streams the traces.
const root = tempDir('labbook-site-judges-');
const out = join(root, 'site');
let fixture: JudgeFixture;
let summary: SiteDataSummary;
const read = <T>(path: string) => JSON.parse(readFileSync(join(out, path), 'utf8')) as T;

beforeAll(async () => {
  fixture = await makeJudgeFixture(root);
  summary = await writeSiteData(await loadSite(fixture.dataDir), out);
});

describe('judges and people in the site data', () => {
  it('gives the same numbers as the view model over the whole run, and the rows where they disagree', async () => {
    const judges = summary.runs[`demo/${fixture.judgedRun}`]!.judges!;
    const items = Array.from({ length: TRACES }, (_, k) => ({ id: `t${k + 1}`, ...judged(k + 1) }));
    const traces = items.map((j) => ({
      id: j.id,
      scores: [
        { name: 'helpful', value: j.gpt, source: 'llm_judge' as const, evaluator: MARKUP_JUDGE },
        { name: 'helpful', value: j.length, source: 'code' as const, evaluator: 'length' },
        { name: 'tone', value: j.tone, source: 'llm_judge' as const },
      ],
    }));
    const people = items.flatMap((j) =>
      ['Ada', 'Ben'].flatMap((author, p) => [
        { trace: j.id, name: 'helpful', value: j.people[p]!, author, at: '2026-01-03T10:00:00Z' },
        { trace: j.id, name: 'tone', value: j.peopleTone, author, at: '2026-01-03T10:00:00Z' },
      ]),
    );
    const expected = judgesAndPeople(traces, people, { labels: {}, metrics: { helpful: { min: 0, max: 1, direction: 'higher' } } });
    expect(judges).toEqual(expected);
    const rows = await readSiteRows(out, 'demo', fixture.judgedRun);
    expect(rows.judgeDisagreements!.map((i) => rows.id[i])).toEqual(
      [...expected.disagreeing].sort((a, b) => rows.id.indexOf(a) - rows.id.indexOf(b)),
    );
    expect(read<RunAnnotationsFile>(runDataPaths('demo', fixture.judgedRun).annotations).judges).toEqual(expected);
  });

  it('says when nothing overlaps, and leaves the rows without a judge filter', async () => {
    expect(summary.runs[`demo/${fixture.otherRun}`]!.judges).toMatchObject({ state: 'no-overlap', annotatedNames: ['verdict'] });
    expect((await readSiteRows(out, 'demo', fixture.otherRun)).judgeDisagreements).toBeUndefined();
  });

  it('the run page view: rows as text, the no-overlap sentence, nothing for runs without annotations', () => {
    const view = judgesSectionView(summary.runs[`demo/${fixture.judgedRun}`]!.judges);
    expect(view.show).toBe(true);
    expect(view.rows.map((r) => r.judge)).toEqual([MARKUP_JUDGE, 'length', 'llm_judge']);
    expect(view.notes.some((n) => n.includes('independent ones'))).toBe(true);
    expect(judgesSectionView(summary.runs[`demo/${fixture.otherRun}`]!.judges).intro).toMatch(/^No overlap/);
    expect(judgesSectionView(undefined).show).toBe(false);
  });
});
