import { describe, expect, it } from 'vitest';
import { queueSchema, type QueueInput } from '../../schemas/queue.ts';
import { queueProblems, queueScoreNames } from './check-queue.ts';

const rules = { labels: { verdict: ['approved', 'wrong'] }, metrics: { reviewer_score: { min: 0, max: 1, direction: 'higher' as const } } };
const run = { traceIds: new Set(['t1', 't2']), scores: new Set(['correct']) };
const queue = (over: Partial<QueueInput> = {}) =>
  queueSchema.parse({ run: 'r1', select: { fails: 'correct' }, collect: { labels: ['verdict'], metrics: ['reviewer_score'] }, ...over });

describe('queueProblems', () => {
  it('passes a queue the site can use, and an open queue (no reviewers named) with any overlap', () => {
    expect(queueProblems(queue(), rules, run)).toEqual([]);
    expect(queueProblems(queue({ overlap: 3 }), rules, run)).toEqual([]);
    expect(queueProblems(queue({ reviewers: ['ada', 'grace'], overlap: 2 }), rules, run)).toEqual([]);
  });

  it('names each field that makes the review form refuse its answers, by its place in the file', () => {
    const problems = queueProblems(
      queue({
        collect: { labels: ['reviewer_score', 'nosuch'], metrics: ['verdict'] },
        reviewers: ['ada'],
        overlap: 2,
        select: { traces: ['t2', 'tx'] },
      }),
      rules,
      run,
    );
    expect(problems.map((p) => p.path.join('.'))).toEqual([
      'collect.labels.0',
      'collect.labels.1',
      'collect.metrics.0',
      'overlap',
      'select.traces.1',
    ]);
    expect(problems[0]!.message).toMatch(/"reviewer_score" is declared as a metric in experiment\.yaml; collect it under metrics/);
  });

  it('leaves the run checks out when the run is missing, and the name checks when the rules are unreadable', () => {
    const bad = queue({ select: { fails: 'nosuch' }, collect: { labels: ['nosuch'] } });
    expect(queueProblems(bad, rules, undefined).map((p) => p.path.join('.'))).toEqual(['collect.labels.0']);
    expect(queueProblems(bad, undefined, run).map((p) => p.path.join('.'))).toEqual(['select.fails']);
  });

  it('judges listed traces only once their ids are read, and a fails score only against a metrics.json', () => {
    const listed = queue({ select: { traces: ['t1', 'tx'] } });
    expect(queueProblems(listed, rules, { traceIds: null, scores: run.scores })).toEqual([]);
    expect(queueProblems(listed, rules, run).map((p) => p.path.join('.'))).toEqual(['select.traces.1']);
    expect(queueProblems(queue({ select: { fails: 'nosuch' } }), rules, { traceIds: run.traceIds, scores: queueScoreNames(null) })).toEqual(
      [],
    );
    expect(queueScoreNames({ scores: {} })).toEqual(new Set());
  });
});
