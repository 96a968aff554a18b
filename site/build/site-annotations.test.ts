import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { entryYaml, makeAnnotationFixture, type AnnotationFixture } from '../../test/helpers/annotation-fixture.ts';
import { tempDir } from '../../test/helpers/temp-dir.ts';
import { loadSite } from './load-site.ts';
import { skipQueuesWithMissingTraces } from './site-queues.ts';
import type { SiteSource } from '../view/site-source.ts';
import type { RunAnnotationsFile } from '../view/run-annotations-file.ts';
import { runDataPaths, type RunMeta } from '../view/run-meta.ts';
import { readSiteRows } from './read-site-rows.ts';
import { writeSiteData } from './write-site-data.ts';

const root = tempDir('labbook-site-annotations-');
let fx: AnnotationFixture;
let site: SiteSource;
const out = join(root, 'site');

const at = '2026-02-01T10:00:00Z';
const read = <T>(path: string) => JSON.parse(readFileSync(join(out, path), 'utf8')) as T;

beforeAll(async () => {
  fx = await makeAnnotationFixture(root, 'experiments');
  const [a, b] = fx.runs;
  writeFileSync(
    join(fx.annotations, 'ada.yaml'),
    [
      entryYaml({ run: a, trace: 't1', name: 'verdict', value: 'approved', author: 'Ada', at }),
      entryYaml({ run: a, trace: 't2', name: 'verdict', value: 'approved', author: 'Ada', at }),
      entryYaml({ run: a, trace: 't2', name: 'reviewer_score', value: 0.9, author: 'Ada', at }),
      entryYaml({ run: b, trace: 't1', name: 'verdict', value: 'hallucination', author: 'Ada', at }),
    ].join(''),
  );
  writeFileSync(
    join(fx.annotations, 'grace.yaml'),
    [
      entryYaml({ run: a, trace: 't2', name: 'verdict', value: 'hallucination', author: 'Grace', at, note: 'made up' }),
      entryYaml({ run: a, trace: 't2', name: 'reviewer_score', value: 0.2, author: 'Grace', at }),
      // a label the rules do not allow: this entry is left out, the rest of the file is kept
      entryYaml({ run: a, trace: 't3', name: 'verdict', value: 'great', author: 'Grace', at }),
    ].join(''),
  );
  writeFileSync(join(fx.annotations, 'broken.yaml'), 'run: [\n');
  site = await loadSite(fx.dataDir);
  await writeSiteData(site, out);
});

describe('annotations in the data pass', () => {
  it('skips a bad file and a bad entry with warnings naming them, and keeps every good entry', () => {
    const warnings = site.warnings.filter((w) => w.startsWith('annotations:'));
    expect(warnings).toHaveLength(2);
    expect(warnings.find((w) => w.includes('broken.yaml'))).toMatch(/broken\.yaml:\d+:\d+: .*\(left out\)$/);
    expect(warnings.find((w) => w.includes('grace.yaml'))).toMatch(/grace\.yaml:17:10: value: "great" is not an allowed "verdict" label/);
    expect(site.experiments[0]!.annotations.entries).toHaveLength(6);
  });

  it('writes annotation columns beside the score columns, one reduced value per trace', async () => {
    const rows = await readSiteRows(out, 'demo', fx.runs[0]!);
    expect(rows.scores.map((c) => c.key)).toEqual(['score:correct', 'score:quality', 'annotation:reviewer_score', 'annotation:verdict']);
    const column = (key: string) => rows.scores.find((c) => c.key === key)!;
    // t2: approved vs hallucination is a tie, which goes to the label that sorts first
    expect(column('annotation:verdict')).toMatchObject({
      source: 'annotation',
      kind: 'label',
      direction: null,
      values: ['approved', 'approved', null, null, null],
    });
    expect(column('annotation:reviewer_score')).toMatchObject({ kind: 'number', direction: 'higher' });
    expect(column('annotation:reviewer_score').values[1]).toBeCloseTo(0.55);
    expect(rows.disagreements).toEqual([1]);
  });

  it('writes each run its entries, per-name summaries, agreement and disagreements, and the rules in meta.json', () => {
    const file = read<RunAnnotationsFile>(runDataPaths('demo', fx.runs[0]).annotations);
    expect(file.entries.map((e) => [e.trace, e.name, e.author])).toEqual([
      ['t1', 'verdict', 'Ada'],
      ['t2', 'verdict', 'Ada'],
      ['t2', 'reviewer_score', 'Ada'],
      ['t2', 'verdict', 'Grace'],
      ['t2', 'reviewer_score', 'Grace'],
    ]);
    expect(file.entries[3]).toMatchObject({ note: 'made up', file: 'demo/annotations/grace.yaml' });
    expect(file.disagreements).toEqual([
      { trace: 't2', name: 'reviewer_score' },
      { trace: 't2', name: 'verdict' },
    ]);
    expect(file.agreement.find((a) => a.name === 'verdict')).toMatchObject({ kind: 'label', method: 'cohen', items: 1, raters: 2 });
    const other = read<RunAnnotationsFile>(runDataPaths('demo', fx.runs[1]).annotations);
    expect(other.entries).toHaveLength(1);
    expect(other.disagreements).toEqual([]);
    expect(read<RunMeta>(runDataPaths('demo', fx.runs[0]).meta).experiment.annotations.labels.verdict).toEqual([
      'approved',
      'needs review',
      'hallucination',
    ]);
  });
});

describe('review queues on the site', () => {
  it('offers a queue reviewers can fill in, and skips one `labbook validate` refuses (a form that would refuse every answer, a trace or score the run lacks), saying why', async () => {
    const queues = join(fx.dataDir, 'demo', 'queues');
    mkdirSync(queues, { recursive: true });
    const queue = (collect: string, select = '{ sample: { size: 2 } }') => `run: ${fx.runs[0]}\nselect: ${select}\ncollect: ${collect}\n`;
    writeFileSync(join(queues, 'good.yaml'), queue('{ labels: [verdict] }'));
    writeFileSync(join(queues, 'listed.yaml'), queue('{ labels: [verdict] }', '{ traces: [t2, t4] }'));
    // verdict is declared as a label: collected as a metric, every answer would be refused.
    writeFileSync(join(queues, 'wrong-kind.yaml'), queue('{ metrics: [verdict] }'));
    // What `labbook validate` refuses from the run's side: a trace it lacks, a score it does not have.
    writeFileSync(join(queues, 'missing-trace.yaml'), queue('{ labels: [verdict] }', '{ traces: [t2, t9] }'));
    writeFileSync(join(queues, 'unknown-score.yaml'), queue('{ labels: [verdict] }', '{ fails: nosuch }'));
    const loaded = await loadSite(fx.dataDir);
    // The runs' trace ids are known once the data pass has written them (as the build does).
    await writeSiteData(loaded, out);
    const warnings: string[] = [];
    const offered = await skipQueuesWithMissingTraces(loaded, out, (w) => warnings.push(w));
    const demo = offered.experiments.find((e) => e.name === 'demo')!;
    expect(demo.queues.map((q) => q.file.split('/').at(-1))).toEqual(['good.yaml', 'listed.yaml']);
    const all = [...loaded.warnings, ...warnings];
    const skipped = (file: string) => all.filter((w) => w.includes(`${file}:`));
    expect(skipped('wrong-kind.yaml')).toEqual([
      expect.stringMatching(
        /^review queue skipped: .*wrong-kind\.yaml: "verdict" is declared as a label in experiment\.yaml; collect it under labels \("labbook validate" lists every problem\)$/,
      ),
    ]);
    expect(skipped('missing-trace.yaml')).toEqual([
      expect.stringMatching(
        new RegExp(
          `^review queue skipped: .*missing-trace\\.yaml: no trace "t9" in run ${fx.runs[0]} \\(it has 5 traces\\) \\("labbook validate" lists every problem\\)$`,
        ),
      ),
    ]);
    expect(skipped('unknown-score.yaml')).toEqual([
      expect.stringMatching(
        /^review queue skipped: .*unknown-score\.yaml: run \S+ has no score "nosuch" \(its scores: "correct", "quality"\) \(/,
      ),
    ]);
    expect(all.filter((w) => /good\.yaml|listed\.yaml/.test(w))).toEqual([]);
  });
});
