import { describe, expect, it } from 'vitest';
import { intervalAlpha } from '../stats/krippendorff-alpha.ts';
import { queueSchema, type QueueInput } from '../../schemas/queue.ts';
import { assignReviewers, queueProgress, selectQueueTraces, tracesFor, type QueueCandidates } from './queue.ts';

const ids = Array.from({ length: 10 }, (_, i) => `t${i}`);
const run: QueueCandidates = {
  ids,
  scores: new Map<string, (number | string | null)[]>([
    ['correct', ids.map((_, i) => (i % 3 === 0 ? 1 : 0))],
    ['f1', ids.map((_, i) => i / 10)],
    ['tone', ids.map(() => 'formal')],
  ]),
  disagreements: new Set(['t4', 't7']),
};
const queue = (input: Partial<QueueInput>) =>
  queueSchema.parse({ run: 'r1', select: { disagree: true }, collect: { labels: ['verdict'] }, ...input });

describe('which traces a queue holds', () => {
  it('picks failures, disagreements, explicit ids and a seeded sample', () => {
    expect(selectQueueTraces({ fails: 'correct' }, run).ids).toEqual(['t1', 't2', 't4', 't5', 't7', 't8']);
    expect(selectQueueTraces({ fails: 'f1', below: 0.3 }, run).ids).toEqual(['t0', 't1', 't2']);
    expect(selectQueueTraces({ fails: 'tone' }, run).ids).toEqual([]);
    expect(selectQueueTraces({ fails: 'no-such-score' }, run).ids).toEqual([]);
    expect(selectQueueTraces({ disagree: true }, run).ids).toEqual(['t4', 't7']);
    expect(selectQueueTraces({ disagree: 'judge' }, run).ids).toEqual([]);
    expect(selectQueueTraces({ disagree: 'judge' }, { ...run, judgeDisagreements: new Set(['t7', 't1']) }).ids).toEqual(['t1', 't7']);
    expect(() => queueSchema.parse({ run: 'r1', select: { disagree: 'judges' }, collect: { labels: ['verdict'] } })).toThrow();
    expect(selectQueueTraces({ traces: ['t9', 'x', 't2', 't9'] }, run)).toEqual({ ids: ['t2', 't9'], unknown: ['x'] });
    const sample = selectQueueTraces({ sample: { size: 4, seed: 7 } }, run).ids;
    expect(sample).toHaveLength(4);
    expect(selectQueueTraces({ sample: { size: 4, seed: 7 } }, run).ids).toEqual(sample);
    expect(selectQueueTraces({ sample: { size: 4, seed: 8 } }, run).ids).not.toEqual(sample);
    expect(selectQueueTraces({ sample: { size: 40, seed: 1 } }, run).ids).toEqual(ids);
  });

  it('refuses a queue file that says nothing to collect or mixes ways of selecting', () => {
    expect(() => queueSchema.parse({ run: 'r1', select: { disagree: true }, collect: {} })).toThrow(/at least one label or metric/);
    expect(() => queueSchema.parse({ run: 'r1', select: { disagree: true, fails: 'x' }, collect: { labels: ['v'] } })).toThrow();
    expect(() => queueSchema.parse({ run: '../x', select: { disagree: true }, collect: { labels: ['v'] } })).toThrow();
  });
});

describe('who reviews what, and how far they are', () => {
  it('spreads traces round robin with the asked overlap', () => {
    const assignment = assignReviewers(['a', 'b', 'c', 'd'], ['ada', 'bob', 'cy'], 2);
    expect([...assignment.values()]).toEqual([
      ['ada', 'bob'],
      ['bob', 'cy'],
      ['cy', 'ada'],
      ['ada', 'bob'],
    ]);
    expect(tracesFor('cy', ['a', 'b', 'c', 'd'], assignment)).toEqual(['b', 'c']);
    expect(assignReviewers(['a'], ['ada'], 3).get('a')).toEqual(['ada']);
    expect(tracesFor('anyone', ['a', 'b'], assignReviewers(['a', 'b'], [], 1))).toEqual(['a', 'b']);
  });

  it('counts what each reviewer finished and measures agreement where two judged a trace', () => {
    const q = queue({ collect: { labels: ['verdict'], metrics: ['score'] }, reviewers: ['ada', 'bob'], overlap: 2 });
    const judgements = [
      { trace: 't0', name: 'verdict', author: 'ada', value: 'ok' },
      { trace: 't0', name: 'score', author: 'ada', value: 0.8 },
      { trace: 't0', name: 'verdict', author: 'bob', value: 'ok' },
      { trace: 't0', name: 'score', author: 'bob', value: 0.6 },
      { trace: 't1', name: 'verdict', author: 'ada', value: 'bad' },
      { trace: 't1', name: 'score', author: 'ada', value: 0.1 },
      { trace: 't1', name: 'verdict', author: 'bob', value: 'ok' },
      { trace: 't2', name: 'verdict', author: 'ada', value: 'ok' },
      { trace: 'elsewhere', name: 'verdict', author: 'ada', value: 'ok' },
    ];
    const progress = queueProgress(q, ['t0', 't1', 't2'], judgements);
    expect(progress.traces).toBe(3);
    expect(progress.complete).toBe(1);
    expect(progress.reviewers).toEqual([
      { reviewer: 'ada', assigned: 3, done: 2 },
      { reviewer: 'bob', assigned: 3, done: 1 },
    ]);
    const verdict = progress.agreement.find((a) => a.name === 'verdict')!;
    expect(verdict.items).toBe(2);
    // Two items, ok/ok and bad/ok: P̄ = 0.5; p_ok = 3/4, p_bad = 1/4, P̄e = 0.625; κ = −1/3.
    expect(verdict.kappa!.kappa).toBeCloseTo(-1 / 3, 12);
    // Krippendorff: 4 values (3 ok, 1 bad); D_o = 2/4, D_e = (4² − 3² − 1²)/(4·3) = 1/2: α = 0.
    expect(verdict.alpha).toBeCloseTo(0, 12);
    expect(progress.agreement.find((a) => a.name === 'score')).toMatchObject({ items: 1, meanAbsoluteDifference: expect.closeTo(0.2, 12) });
  });

  it('measures metric agreement over every pair of judges when three judged a trace', () => {
    const q = queue({ collect: { labels: [], metrics: ['score'] }, reviewers: ['ada', 'bob', 'cy'], overlap: 3 });
    const judgements = [
      ...[0.2, 0.5, 0.8].map((value, i) => ({ trace: 't0', name: 'score', author: ['ada', 'bob', 'cy'][i]!, value })),
      ...[0.9, 0.9, 1].map((value, i) => ({ trace: 't1', name: 'score', author: ['ada', 'bob', 'cy'][i]!, value })),
    ];
    const score = queueProgress(q, ['t0', 't1'], judgements).agreement[0]!;
    // t0: |0.2 − 0.5|, |0.2 − 0.8|, |0.5 − 0.8| → 0.4; t1: 0, 0.1, 0.1 → 0.2/3.
    expect(score.meanAbsoluteDifference).toBeCloseTo((0.4 + 0.2 / 3) / 2, 12);
    expect(score.alpha).toBeCloseTo(
      intervalAlpha([
        [0.2, 0.5, 0.8],
        [0.9, 0.9, 1],
      ]).alpha!,
      12,
    );
  });
});
