import { describe, expect, it } from 'vitest';
import type { Annotation } from '../../schemas/annotation.ts';
import { type ExampleRow, makeExperiment, makeRun } from './__fixtures__/make-runs.ts';
import { compareRuns } from './compare-runs.ts';

const experiment = makeExperiment({ annotations: { labels: {}, metrics: { reviewer_score: { min: 0, max: 1, direction: 'higher' } } } });
const rows: ExampleRow[] = ['e1', 'e2', 'e3'].map((example) => ({ example, scores: { correct: true } }));
const runs = ['ra', 'rb', 'rc'].map((id) => makeRun(id, rows));
const at = '2026-12-01T10:00:00Z';
const note = (run: string, example: string, value: number): Annotation => ({
  run,
  trace: `${run}-t${Number(example.slice(3)) - 1}`,
  name: 'reviewer_score',
  value,
  author: 'ada',
  at,
});

describe('an annotation metric per run', () => {
  // ra: e1 = 0, e2 = 1 (mean 0.5 over 2 values); rb: e1 = 1 only; rc: e1 = 0.5, e3 = 0.25.
  const annotations = [
    note('ra', 't-e1', 0),
    note('ra', 't-e2', 1),
    note('rb', 't-e1', 1),
    note('rc', 't-e1', 0.5),
    note('rc', 't-e3', 0.25),
  ];
  const summaryOf = (ids: string[], run: string) => {
    const c = compareRuns({ runs: ids.map((id) => runs.find((r) => r.manifest.id === id)!), experiment, annotations });
    const m = c.metrics.find((x) => x.name === 'reviewer_score')!;
    return { metric: m, summary: m.runs.find((r) => r.run === run)! };
  };

  it('has the same mean, interval and n whichever runs it is compared with', () => {
    const two = summaryOf(['ra', 'rb'], 'ra').summary;
    const three = summaryOf(['ra', 'rb', 'rc'], 'ra').summary;
    expect(two.mean).toBe(0.5);
    expect(two.n).toBe(2);
    expect(three).toEqual(two);
  });

  it('shows n as the number of values, and a bounded interval (Wilson(1, 2) = [0.0945, 0.9055])', () => {
    const { metric, summary } = summaryOf(['ra', 'rb', 'rc'], 'ra');
    expect(summary.ciMethod).toBe('wilson-bounded');
    expect(summary.ci![0]).toBeCloseTo(0.094531, 5);
    expect(summary.ci![1]).toBeCloseTo(0.905469, 5);
    expect(metric.runs.find((r) => r.run === 'rb')!.n).toBe(1);
    // Only e1 has a value in all three runs: the paired sample is 1, so no verdict.
    expect(metric.n).toBe(1);
    expect(metric.deltas.every((d) => d.verdict === 'too few to compare')).toBe(true);
  });
});
