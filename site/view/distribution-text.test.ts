import { describe, expect, it } from 'vitest';
import { distributionText, histogramText } from './distribution-text.ts';

describe('distributionText', () => {
  it('says pass and fail counts, and the traces without a value', () => {
    expect(distributionText('correct', { kind: 'boolean', pass: 8, fail: 16, missing: 0 })).toBe(
      'distribution of correct: 8 pass, 16 fail',
    );
    expect(distributionText('correct', { kind: 'boolean', pass: 1, fail: 0, missing: 2 })).toBe(
      'distribution of correct: 1 pass, 0 fail; 2 without a value',
    );
  });

  it('lists label counts in the chart order', () => {
    const counts = [
      { label: 'approved', count: 5 },
      { label: 'needs review', count: 3 },
    ];
    expect(distributionText('verdict', { kind: 'label', counts, missing: 0 })).toBe('distribution of verdict: approved 5, needs review 3');
  });

  it('lists only the non-empty ranges of a histogram', () => {
    const bins = [
      { start: 0, end: 0.1, count: 0 },
      { start: 0.3, end: 0.4, count: 6 },
      { start: 0.9, end: 1, count: 2 },
    ];
    expect(distributionText('f1', { kind: 'number', bins, missing: 0 })).toBe(
      'distribution of f1, traces per range: 0.3 to 0.4: 6; 0.9 to 1: 2',
    );
    expect(histogramText('latency', [{ start: 0, end: 100, count: 0 }])).toBe('latency: no traces');
  });
});
