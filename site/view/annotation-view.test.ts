import { describe, expect, it } from 'vitest';
import { annotationNameViews, nameSummaryText } from './annotation-view.ts';

describe('annotation summaries in words', () => {
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
