import { describe, expect, it } from 'vitest';
import type { Annotation } from '../../schemas/annotation.ts';
import { indexAnnotations } from '../compare/annotation-index.ts';
import { summarizeAnnotations } from './report-annotations.ts';

const at = '2026-02-01T10:00:00Z';
/** 12 traces, each judged by two people: 10 agree on polite; 2 split polite/rude (ties go to polite). */
const entries: Annotation[] = Array.from({ length: 12 }, (_, i) => [
  { run: 'r1', trace: `t${i}`, name: 'tone', value: i < 10 ? 'polite' : 'rude', author: 'ada', at },
  { run: 'r1', trace: `t${i}`, name: 'tone', value: i < 10 ? 'polite' : i === 10 ? 'rude' : 'polite', author: 'grace', at },
]).flat();

describe("the report's annotation summary", () => {
  it('counts a label once per trace, reduced as labbook compare reduces it, and says how many judgements that took', () => {
    const [tone] = summarizeAnnotations(entries, ['r1']).names;
    // What compare shows for the same entries: one reduced label per trace.
    const index = indexAnnotations(entries);
    const perTrace = Array.from({ length: 12 }, (_, i) => index.get('r1', `t${i}`)!.get('tone'));
    expect(perTrace.filter((v) => v === 'polite')).toHaveLength(11);
    expect(tone).toMatchObject({ name: 'tone', kind: 'label', runs: [{ count: 12, judgements: 24, summary: 'polite 11 · rude 1' }] });
  });

  it('takes a metric mean over traces, each trace the mean of its judgements', () => {
    const scores: Annotation[] = [
      { run: 'r1', trace: 't1', name: 'score', value: 0, author: 'ada', at },
      { run: 'r1', trace: 't1', name: 'score', value: 0.5, author: 'grace', at },
      { run: 'r1', trace: 't1', name: 'score', value: 1, author: 'eve', at },
      { run: 'r1', trace: 't2', name: 'score', value: 0, author: 'ada', at },
    ];
    const [score] = summarizeAnnotations(scores, ['r1', 'r2']).names;
    expect(score!.runs).toEqual([
      { count: 2, judgements: 4, summary: 'mean 0.25 (0–0.5)' },
      { count: 0, judgements: 0, summary: '–' },
    ]);
  });
});
