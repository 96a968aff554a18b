import { describe, expect, it } from 'vitest';
import { pairJudgesWithPeople } from './judge-human-pairs.ts';

const traces = [
  {
    id: 't1',
    scores: [
      { name: 'helpful', value: 4, source: 'llm_judge' as const, evaluator: 'gpt' },
      { name: 'helpful', value: 3, source: 'code' as const },
      { name: 'tone', value: 'polite', source: 'llm_judge' as const },
    ],
  },
  {
    id: 't2',
    scores: [
      { name: 'helpful', value: 2, source: 'llm_judge' as const, evaluator: 'gpt' },
      { name: 'helpful', value: null, source: 'code' as const, error: 'boom' },
      { name: 'tone', value: 'rude', source: 'llm_judge' as const },
    ],
  },
  { id: 't3', scores: [{ name: 'tone', value: 'polite', source: 'llm_judge' as const }] },
];
const annotations = [
  { trace: 't1', name: 'helpful', value: 4 },
  { trace: 't1', name: 'helpful', value: 5 },
  { trace: 't2', name: 'helpful', value: 2 },
  { trace: 't1', name: 'tone', value: 'polite' },
  { trace: 't2', name: 'tone', value: 'polite' },
  { trace: 't3', name: 'tone', value: 'polite' },
  { trace: 't3', name: 'tone', value: 'rude' },
];

describe('pairJudgesWithPeople', () => {
  const result = pairJudgesWithPeople(traces, annotations);
  it('pairs each judge with the mean of the people, skipping errored scores', () => {
    const helpful = result.find((r) => r.name === 'helpful')!;
    expect(helpful.kind).toBe('metric');
    expect(helpful.judges.get('gpt')).toEqual([
      { trace: 't1', judge: 4, human: 4.5, annotators: 2 },
      { trace: 't2', judge: 2, human: 2, annotators: 1 },
    ]);
    expect(helpful.judges.get('code')).toEqual([{ trace: 't1', judge: 3, human: 4.5, annotators: 2 }]);
  });
  it('leaves out a label people split on evenly, and lists the traces that disagree', () => {
    const tone = result.find((r) => r.name === 'tone')!;
    const pairs = tone.judges.get('llm_judge')!;
    expect(pairs.map((p) => [p.trace, p.judge, p.human])).toEqual([
      ['t1', 'polite', 'polite'],
      ['t2', 'rude', 'polite'],
    ]);
  });
  it('takes the first score when a judge scored a trace twice under one name, as the aggregate does', () => {
    const twice = [
      {
        id: 't1',
        scores: [
          { name: 'tone', value: null, source: 'llm_judge' as const, evaluator: 'a', error: 'timeout' },
          { name: 'tone', value: 'rude', source: 'llm_judge' as const, evaluator: 'a' },
          { name: 'tone', value: 'polite', source: 'llm_judge' as const, evaluator: 'b' },
          { name: 'tone', value: 'rude', source: 'llm_judge' as const, evaluator: 'b' },
        ],
      },
    ];
    const [tone] = pairJudgesWithPeople(twice, [{ trace: 't1', name: 'tone', value: 'polite' }]);
    expect(tone!.judges.get('a')).toBeUndefined();
    expect(tone!.judges.get('b')).toEqual([{ trace: 't1', judge: 'polite', human: 'polite', annotators: 1 }]);
  });
});

describe('judgeAgreement', () => {
  it('gives κ for labels and correlations for metrics, and error correlation only with several judges', async () => {
    const { judgeAgreement } = await import('./judge-agreement.ts');
    const result = pairJudgesWithPeople(traces, annotations).map(judgeAgreement);
    const tone = result.find((r) => r.name === 'tone')!;
    expect(tone.judges).toHaveLength(1);
    const label = tone.judges[0]!;
    expect(label.kind === 'label' && label.kappa.observed).toBe(0.5);
    expect(tone.errors).toBeNull();
    const helpful = result.find((r) => r.name === 'helpful')!;
    const gpt = helpful.judges.find((j) => j.judge === 'gpt')!;
    expect(gpt.kind === 'metric' && gpt.bias.mean).toBe(-0.25);
    // Two judges, but only one trace both scored: too few for a correlation of their errors.
    expect(helpful.errors!.pairs[0]!.correlation.r).toBeNull();
  });
});
