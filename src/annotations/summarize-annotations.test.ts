import { describe, expect, it } from 'vitest';
import { intervalAlpha } from '../stats/krippendorff-alpha.ts';
import type { AnnotationEntry } from './annotation-entry.ts';
import { reducedValues, summarizeAnnotations } from './summarize-annotations.ts';

let line = 0;
const a = (
  run: string,
  trace: string,
  name: string,
  value: number | string,
  author: string,
  at = '2026-01-01T00:00:00Z',
): AnnotationEntry => ({
  experiment: 'demo',
  run,
  trace,
  name,
  value,
  author,
  at,
  kind: typeof value === 'number' ? 'metric' : 'label',
  file: `demo/annotations/${author.toLowerCase()}.yaml`,
  line: ++line,
  column: 3,
});
const rules = {
  labels: { verdict: ['approved', 'needs review', 'hallucination'] },
  metrics: { reviewer_score: { min: 0, max: 1, direction: 'higher' as const } },
};

describe('summarizeAnnotations', () => {
  it('reduces each trace and name: the mean of metrics, the majority and counts of labels', () => {
    const summary = summarizeAnnotations(
      [
        a('r1', 't1', 'reviewer_score', 0.8, 'Ada'),
        a('r1', 't1', 'reviewer_score', 0.6, 'Grace'),
        a('r1', 't1', 'verdict', 'approved', 'Ada'),
        a('r1', 't1', 'verdict', 'approved', 'Grace'),
        a('r1', 't1', 'verdict', 'hallucination', 'Linus'),
        a('r1', 't2', 'verdict', 'needs review', 'Ada'),
      ],
      { rules },
    );
    const [t1, t2] = summary.runs[0]!.traces;
    expect(t1!.names).toMatchObject([
      { kind: 'metric', name: 'reviewer_score', authors: 2, min: 0.6, max: 0.8, disagreement: false },
      {
        kind: 'label',
        name: 'verdict',
        authors: 3,
        value: 'approved',
        tie: false,
        counts: [
          { value: 'approved', count: 2 },
          { value: 'hallucination', count: 1 },
        ],
        disagreement: true,
      },
    ]);
    expect(t1!.names[0]!.value).toBeCloseTo(0.7, 12);
    expect(t1!.names[0]!.kind === 'metric' && t1!.names[0]!.std).toBeCloseTo(Math.SQRT2 / 10, 12);
    expect(t2!.names[0]).toMatchObject({ value: 'needs review', authors: 1, disagreement: false });
    expect(summary.runs[0]!.names).toMatchObject([
      { kind: 'metric', name: 'reviewer_score', traces: 1, entries: 2 },
      {
        kind: 'label',
        name: 'verdict',
        traces: 2,
        entries: 4,
        counts: [
          { value: 'approved', count: 1 },
          { value: 'needs review', count: 1 },
        ],
        votes: [
          { value: 'approved', count: 2 },
          { value: 'hallucination', count: 1 },
          { value: 'needs review', count: 1 },
        ],
        ties: 0,
      },
    ]);
    expect(summary.disagreements.map((d) => [d.trace, d.name])).toEqual([['t1', 'verdict']]);
    const values = reducedValues(summary.runs[0]!);
    expect(values.names).toEqual(['reviewer_score', 'verdict']);
    expect(values.get('t1')?.get('reviewer_score')).toBeCloseTo(0.7, 12);
    expect(values.get('t1')?.get('verdict')).toBe('approved');
    expect(values.get('t3')).toBeUndefined();
  });

  it('breaks a label tie by sort order (like the compare engine) and says it was a tie', () => {
    const [t] = summarizeAnnotations([a('r', 't', 'verdict', 'needs review', 'Ada'), a('r', 't', 'verdict', 'approved', 'Grace')]).runs[0]!
      .traces;
    expect(t!.names[0]).toMatchObject({ value: 'approved', tie: true, disagreement: true });
  });

  it("counts an author's later judgement only, once", () => {
    const [t] = summarizeAnnotations([
      a('r', 't', 'verdict', 'approved', 'Ada', '2026-01-01T00:00:00Z'),
      a('r', 't', 'verdict', 'hallucination', 'ada', '2026-02-01T00:00:00Z'),
    ]).runs[0]!.traces;
    expect(t!.names[0]).toMatchObject({ value: 'hallucination', authors: 1, disagreement: false });
  });

  it("measures two annotators' label agreement with Cohen's kappa (hand-computed)", () => {
    // Ada/Grace on 4 traces: (ok,ok) (ok,bad) (bad,bad) (bad,bad): p_o = 3/4;
    // Ada: ok 2/4, bad 2/4; Grace: ok 1/4, bad 3/4; p_e = 2/4·1/4 + 2/4·3/4 = 1/2; κ = (3/4 − 1/2)/(1/2) = 1/2.
    // Krippendorff: 8 values, ok 3, bad 5; D_o = 2/8 (one unit of two different values: 2 ordered
    // pairs); D_e = (8² − 3² − 5²)/(8·7) = 30/56; α = 1 − (1/4)/(30/56) = 8/15.
    const pairs: Array<[string, string]> = [
      ['approved', 'approved'],
      ['approved', 'hallucination'],
      ['hallucination', 'hallucination'],
      ['hallucination', 'hallucination'],
    ];
    const entries = pairs.flatMap(([x, y], i) => [a('r1', `t${i}`, 'verdict', x, 'Ada'), a('r1', `t${i}`, 'verdict', y, 'Grace')]);
    entries.push(a('r1', 't9', 'verdict', 'approved', 'Ada')); // judged by one person only: no agreement information
    const summary = summarizeAnnotations(entries);
    expect(summary.agreement).toEqual([
      {
        kind: 'label',
        name: 'verdict',
        method: 'cohen',
        kappa: 0.5,
        alpha: expect.closeTo(8 / 15, 12),
        alphaInterval: null, // 4 shared traces: too few for an interval
        observed: 0.75,
        expected: 0.5,
        raters: 2,
        items: 4,
      },
    ]);
    expect(summary.disagreements).toHaveLength(1);
  });

  it("uses Fleiss' kappa for three or more annotators, per run and over all runs", () => {
    // 3 traces × 3 raters: (a,a,a) (a,a,b) (b,b,b). P_i = 1, 1/3, 1 → P̄ = 7/9; p_a = 5/9, p_b = 4/9 → P̄_e = 41/81.
    const rows = [
      ['approved', 'approved', 'approved'],
      ['approved', 'approved', 'hallucination'],
      ['hallucination', 'hallucination', 'hallucination'],
    ];
    const entries = rows.flatMap((row, i) =>
      row.map((v, r) => a(i < 2 ? 'r1' : 'r2', `t${i}`, 'verdict', v, ['Ada', 'Grace', 'Linus'][r]!)),
    );
    const summary = summarizeAnnotations(entries, { runIds: ['r1', 'r2', 'r3'] });
    const overall = summary.agreement[0]!;
    expect(overall).toMatchObject({ kind: 'label', method: 'fleiss', raters: 3, items: 3 });
    expect(overall.kind === 'label' && overall.kappa).toBeCloseTo((7 / 9 - 41 / 81) / (1 - 41 / 81), 12);
    // α: 9 values (5 a, 4 b); D_o = (3² − 2² − 1²)/(3 − 1)/9 = 2/9; D_e = (81 − 25 − 16)/72 = 5/9; α = 1 − 2/5.
    expect(overall.alpha).toBeCloseTo(0.6, 12);
    expect(summary.runs.map((r) => r.run)).toEqual(['r1', 'r2', 'r3']);
    expect(summary.runs[2]).toEqual({ run: 'r3', traces: [], names: [], agreement: [] });
    expect(summary.runs[1]!.agreement[0]).toMatchObject({ method: 'fleiss', kappa: null, items: 1 }); // one category only: undefined
  });

  it('measures the spread of metrics, and flags a disagreement beyond 20% of the declared range', () => {
    const entries = [
      a('r', 't1', 'reviewer_score', 0.9, 'Ada'),
      a('r', 't1', 'reviewer_score', 0.8, 'Grace'),
      a('r', 't2', 'reviewer_score', 0.9, 'Ada'),
      a('r', 't2', 'reviewer_score', 0.3, 'Grace'),
    ];
    const summary = summarizeAnnotations(entries, { rules });
    const agreement = summary.agreement[0]!;
    expect(agreement).toMatchObject({ kind: 'metric', raters: 2, items: 2, tolerance: 0.2 });
    if (agreement.kind !== 'metric') return;
    expect(agreement.meanRange).toBeCloseTo(0.35, 12);
    expect(agreement.maxRange).toBeCloseTo(0.6, 12);
    expect(agreement.meanStd).toBeCloseTo((0.1 + 0.6) / Math.SQRT2 / 2, 12);
    // α (interval): D_o = (2·0.1² + 2·0.6²)/4 = 0.185; D_e = 2·(0.1² + 0 + 0.6² + 0.1² + 0.5² + 0.6²)/(4·3)
    // = 0.165: the two people disagree more on a trace than two scores picked at random do.
    expect(agreement.alpha).toBeCloseTo(1 - 0.185 / 0.165, 12);
    expect(summary.disagreements).toMatchObject([{ trace: 't2', name: 'reviewer_score', kind: 'metric' }]);
    expect(summary.disagreements[0]!.range).toBeCloseTo(0.6, 12);
  });

  it("gives α's bootstrap interval from five shared traces on, the same as the statistic's own", () => {
    const scores = [
      [0.9, 0.8],
      [0.4, 0.5],
      [0.1, 0.3],
      [0.7, 0.7],
      [0.6, 0.2],
      [1, 0.9],
    ];
    const entries = scores.flatMap(([x, y], i) => [
      a('r', `t${i}`, 'reviewer_score', x!, 'Ada'),
      a('r', `t${i}`, 'reviewer_score', y!, 'Grace'),
    ]);
    const agreement = summarizeAnnotations(entries, { rules }).agreement[0]!;
    const reference = intervalAlpha(scores);
    expect(agreement.alpha).toBeCloseTo(reference.alpha!, 12);
    expect(agreement.alphaInterval).toEqual([reference.low, reference.high]);
    expect(agreement.alphaInterval![0]).toBeLessThan(agreement.alpha!);
    expect(agreement.alphaInterval![1]).toBeGreaterThan(agreement.alpha!);
  });

  it('keeps label values named like Object properties as plain data', () => {
    const [t] = summarizeAnnotations([a('r', 't', '__proto__', 'constructor', 'Ada'), a('r', 't', '__proto__', 'toString', 'Grace')])
      .runs[0]!.traces;
    expect(t!.names[0]).toMatchObject({
      name: '__proto__',
      counts: [
        { value: 'constructor', count: 1 },
        { value: 'toString', count: 1 },
      ],
    });
  });

  it('summarises 150,000 annotated traces of a run without quadratic work or stack overflow', () => {
    const entries: AnnotationEntry[] = [];
    for (let i = 0; i < 150_000; i++) entries.push(a('r', `t${i}`, 'reviewer_score', (i % 10) / 10, i % 2 ? 'Ada' : 'Grace'));
    const summary = summarizeAnnotations(entries, { rules });
    expect(summary.runs[0]!.names[0]).toMatchObject({ kind: 'metric', traces: 150_000, min: 0, max: 0.9 });
  });
});
