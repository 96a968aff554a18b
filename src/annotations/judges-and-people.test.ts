import { describe, expect, it } from 'vitest';
import type { Score } from '../../schemas/score.ts';
import { cohenKappaInterval } from './kappa-interval.ts';
import { JudgeScoreCollector, judgesAndPeople } from './judges-and-people.ts';
import { estimateText, judgeRowText, judgesStateText } from './judges-and-people-text.ts';
import { meanBias, pearson } from '../stats/correlation.ts';

const at = (minute: number) => `2026-12-01T10:${String(minute).padStart(2, '0')}:00Z`;
const judgeScores = [0.9, 0.2, 0.7, 0.4, 1, 0.1];
const people = [1, 0, 0.8, 0.6, 0.9, 0.1];
const tones = [
  ['polite', 'polite'],
  ['rude', 'rude'],
  ['polite', 'rude'],
  ['rude', 'rude'],
  ['polite', 'polite'],
  ['rude', 'polite'],
] as const;
const traces = judgeScores.map((score, i) => ({
  id: `t${i}`,
  scores: [
    { name: 'helpful', value: score, source: 'llm_judge', evaluator: 'gpt' },
    { name: 'helpful', value: Math.min(1, score + 0.1 * (i % 2)), source: 'code', evaluator: 'length' },
    { name: 'tone', value: tones[i]![0], source: 'llm_judge' },
    { name: 'unannotated', value: 1, source: 'code' },
  ] as Score[],
}));
const annotations = [
  ...people.map((value, i) => ({ trace: `t${i}`, name: 'helpful', value, author: 'ada', at: at(i) })),
  ...tones.map(([, human], i) => ({ trace: `t${i}`, name: 'tone', value: human, author: 'ada', at: at(i) })),
  // ada changed her mind on t1: only her latest judgement counts.
  { trace: 't1', name: 'helpful', value: 0.9, author: 'ada', at: at(0) },
];

describe('judgesAndPeople', () => {
  const view = judgesAndPeople(traces, annotations);

  it('gives each judge its agreement with an interval, as the statistics functions compute it', () => {
    expect(view.state).toBe('compared');
    expect(view.rows.map((r) => `${r.name}/${r.judge}`)).toEqual(['helpful/gpt', 'helpful/length', 'tone/llm_judge']);
    const gpt = view.rows[0]!;
    const r = pearson(judgeScores, people);
    expect(gpt.estimate).toEqual({ value: r.r, low: r.low, high: r.high });
    const b = meanBias(judgeScores, people);
    expect(gpt.bias).toEqual({ value: b.mean, low: b.low, high: b.high });
    const tone = view.rows[2]!;
    const k = cohenKappaInterval(tones.map(([j, h]) => [j, h] as const));
    expect(tone.estimate).toEqual({ value: k.kappa, low: k.low, high: k.high });
    expect(tone.observed).toBeCloseTo(4 / 6, 12);
  });

  it('counts disagreements: labels that differ, metrics further apart than a fifth of their range', () => {
    // Range of helpful values 0..1, so 0.2: gpt's t3 (0.4 vs 0.6) is not more than it; t2 (0.7 vs 0.8) neither.
    expect(view.rows[0]!.tolerance).toBeCloseTo(0.2, 12);
    expect(view.rows[0]!.disagreements).toBe(0);
    // The length judge gives t1 0.3 against the people's 0: more than 0.2 apart.
    expect(view.rows[1]!.disagreements).toBe(1);
    expect(view.rows[2]!.disagreements).toBe(2);
    expect(view.disagreeing).toEqual(['t1', 't2', 't5']);
    expect(view.disputes).toEqual([
      { trace: 't1', name: 'helpful', judge: 'length' },
      { trace: 't2', name: 'tone', judge: 'llm_judge' },
      { trace: 't5', name: 'tone', judge: 'llm_judge' },
    ]);
    const declared = judgesAndPeople(traces, annotations, { labels: {}, metrics: { helpful: { min: 0, max: 0.5, direction: 'higher' } } });
    expect(declared.rows[0]!.tolerance).toBeCloseTo(0.1, 12);
    // gpt is 0.2 off on t1 and t3, 0.1 (not more than 0.1) elsewhere.
    expect(declared.rows[0]!.disagreements).toBe(2);
  });

  it('correlates the errors of two judges of one metric', () => {
    expect(view.errors).toHaveLength(1);
    const gptErrors = judgeScores.map((s, i) => s - people[i]!);
    const lengthErrors = judgeScores.map((s, i) => Math.min(1, s + 0.1 * (i % 2)) - people[i]!);
    expect(view.errors[0]!.pairs[0]!.r.value).toBeCloseTo(pearson(lengthErrors, gptErrors).r!, 12);
  });

  it('says when there is nothing to compare, and shows nothing without annotations', () => {
    expect(judgesAndPeople(traces, [])).toMatchObject({ state: 'none', rows: [] });
    expect(judgesStateText(judgesAndPeople(traces, []))).toBeNull();
    const lonely = judgesAndPeople(traces, [{ trace: 't0', name: 'correct', value: 1, author: 'ada', at: at(0) }]);
    expect(lonely.state).toBe('no-overlap');
    expect(judgesStateText(lonely)).toMatch(/^No overlap: people annotated correct/);
  });

  it('the collector keeps only what the view needs and gives the same result', () => {
    const collector = new JudgeScoreCollector(annotations);
    for (const t of [...traces, { id: 'other', scores: traces[0]!.scores }]) collector.add(t);
    expect(collector.finish()).toEqual(view);
  });

  it('writes rows as text', () => {
    const text = judgeRowText(view.rows[0]!);
    expect(text.agreement).toBe(`r ${estimateText(view.rows[0]!.estimate)}`);
    expect(text.agreement).toMatch(/^r 0\.\d\d \[-?0\.\d\d, 0\.\d\d\]$/);
    expect(judgeRowText(view.rows[2]!).bias).toBe('67% same label');
    expect(estimateText({ value: -0.001, low: null, high: null }, true)).toBe('0.00');
  });
});

describe('several judges of a label', () => {
  it('correlates their mistakes as 1/0 indicators (phi), on the traces all of them and the people scored', () => {
    const people = ['a', 'a', 'b', 'b', 'a', 'b', 'a', 'b'];
    const first = ['a', 'b', 'b', 'a', 'a', 'b', 'b', 'b'];
    const second = ['a', 'b', 'b', 'a', 'b', 'b', 'b', 'a'];
    const traces = people.map((_, i) => ({
      id: `t${i}`,
      scores: [
        { name: 'tone', value: first[i]!, source: 'llm_judge' as const, evaluator: 'first' },
        { name: 'tone', value: second[i]!, source: 'llm_judge' as const, evaluator: 'second' },
      ],
    }));
    const view = judgesAndPeople(
      traces,
      people.map((value, i) => ({ trace: `t${i}`, name: 'tone', value, author: 'ada', at: at(i) })),
    );
    const wrong = (judge: string[]) => judge.map((v, i) => (v === people[i] ? 0 : 1));
    expect(view.errors).toHaveLength(1);
    expect(view.errors[0]!.pairs[0]!.r.value).toBeCloseTo(pearson(wrong(first), wrong(second)).r!, 12);
    expect(view.errors[0]!.effectiveJudges).toBeGreaterThanOrEqual(1);
  });
});

describe('judgeRowText when the statistic is undefined', () => {
  it('says why: a constant side, or too few traces', () => {
    const constant = judgesAndPeople(
      [1, 2, 3].map((i) => ({ id: `t${i}`, scores: [{ name: 'ok', value: 1, source: 'code' as const }] })),
      [1, 2, 3].map((i) => ({ trace: `t${i}`, name: 'ok', value: i % 2, author: 'ada', at: at(i) })),
    );
    expect(judgeRowText(constant.rows[0]!).agreement).toBe('r — (one side constant)');
    const few = judgesAndPeople(
      [{ id: 't1', scores: [{ name: 'ok', value: 1, source: 'code' as const }] }],
      [{ trace: 't1', name: 'ok', value: 1, author: 'ada', at: at(1) }],
    );
    expect(judgeRowText(few.rows[0]!).agreement).toBe('r — (under 3 traces)');
  });
});
