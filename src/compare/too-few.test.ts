import { describe, expect, it } from 'vitest';
import { type ExampleRow, makeExperiment, makeRun } from './__fixtures__/make-runs.ts';
import { compareRuns } from './compare-runs.ts';
import { comparisonView } from './comparison-view.ts';
import { renderComparisonCompact } from './render-comparison-compact.ts';

const experiment = makeExperiment({ metrics: [{ name: 'quality', direction: 'higher', kind: 'number' }], primaryMetric: 'quality' });

function runs(n: number, shift: number) {
  const rows = (d: number): ExampleRow[] =>
    Array.from({ length: n }, (_, i) => ({ example: `ex-${i}`, scores: { quality: 0.1 + 0.01 * i + d } }));
  return [makeRun('base', rows(0)), makeRun('new', rows(shift))];
}

describe('a verdict needs at least 6 paired examples', () => {
  it('5 pairs that all moved up by 0.5: "too few to compare (n = 5)", not "no detectable difference"', () => {
    const c = compareRuns({ runs: runs(5, 0.5), experiment });
    const m = c.metrics.find((x) => x.name === 'quality')!;
    expect(c.settings.minPairs).toBe(6);
    expect(m.n).toBe(5);
    expect(m.deltas[0]!.verdict).toBe('too few to compare');
    // By hand: Wilcoxon exact on 5 positive differences, p = 2 · (1/2)⁵ = 0.0625; the p-value stays in the JSON.
    expect(m.deltas[0]!.pValue).toBeCloseTo(0.0625, 12);
    expect(comparisonView(c).rows.some((r) => r.verdict === 'too few to compare (n = 5)')).toBe(true);
    expect(renderComparisonCompact(c)).toContain('too few to compare (n = 5)');
  });

  it('6 pairs that all moved up: a verdict (exact p = 2/2⁶ = 0.03125 before Holm)', () => {
    const c = compareRuns({ runs: runs(6, 0.5), experiment });
    const m = c.metrics.find((x) => x.name === 'quality')!;
    expect(m.deltas[0]!.pValue).toBeCloseTo(0.03125, 12);
    expect(m.deltas[0]!.verdict).not.toBe('too few to compare');
  });
});
