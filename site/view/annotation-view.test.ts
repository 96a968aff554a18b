import { describe, expect, it } from 'vitest';
import { agreementText, annotationNameViews, kappaWords, nameSummaryText } from './annotation-view.ts';

describe('annotation summaries in words', () => {
  it('reads kappa in Landis and Koch bands', () => {
    expect([-0.1, 0, 0.2, 0.21, 0.4, 0.5, 0.61, 0.81, 1].map(kappaWords)).toEqual([
      'worse than chance',
      'slight',
      'slight',
      'fair',
      'fair',
      'moderate',
      'substantial',
      'almost perfect',
      'almost perfect',
    ]);
  });

  it('says which kappa, over how many shared traces and people, or why there is none', () => {
    expect(
      agreementText({ kind: 'label', name: 'v', method: 'cohen', kappa: 0.4302, observed: 0.7, expected: 0.47, raters: 2, items: 10 }),
    ).toBe("Cohen's κ = 0.43 (moderate) over 10 traces judged by 2 people");
    expect(agreementText({ kind: 'label', name: 'v', method: 'fleiss', kappa: null, observed: 1, expected: 1, raters: 3, items: 1 })).toBe(
      "Fleiss' κ undefined (everyone used one label) over 1 trace judged by 3 people",
    );
    expect(
      agreementText({ kind: 'label', name: 'v', method: null, kappa: null, observed: null, expected: null, raters: 2, items: 0 }),
    ).toBe('no trace judged by two people yet');
    expect(
      agreementText({ kind: 'label', name: 'v', method: null, kappa: null, observed: null, expected: null, raters: 1, items: 0 }),
    ).toBe('one judge: no agreement to measure');
    expect(agreementText(undefined)).toBe('one judge: no agreement to measure');
    expect(
      agreementText({ kind: 'metric', name: 'm', raters: 2, items: 3, meanRange: 0.15, maxRange: 0.4, meanStd: 0.1, tolerance: 0.2 }),
    ).toBe('spread: mean range 0.15, largest 0.4 over 3 traces judged by 2 people');
  });

  it('summarises a metric by its mean and range, a label by its counts and ties', () => {
    expect(nameSummaryText({ kind: 'metric', name: 'm', traces: 3, entries: 4, mean: 0.5, min: 0.1, max: 0.9, std: 0.4 })).toBe(
      'mean 0.5 (0.1 – 0.9)',
    );
    expect(
      nameSummaryText({
        kind: 'label',
        name: 'v',
        traces: 3,
        entries: 4,
        counts: [
          { value: 'approved', count: 2 },
          { value: '__proto__', count: 1 },
        ],
        votes: [],
        ties: 1,
      }),
    ).toBe('approved 2 · __proto__ 1 (1 tied)');
    const views = annotationNameViews(
      [{ kind: 'metric', name: 'm', traces: 3, entries: 4, mean: 0.5, min: 0.1, max: 0.9, std: 0.4 }],
      [],
      [{ name: 'm' }, { name: 'other' }],
    );
    expect(views).toEqual([
      {
        name: 'm',
        kind: 'metric',
        traces: 3,
        judgements: 4,
        summary: 'mean 0.5 (0.1 – 0.9)',
        agreement: 'one judge: no agreement to measure',
        disagreements: 1,
      },
    ]);
  });
});
