import { describe, expect, it } from 'vitest';
import { traceSchema } from '../../schemas/trace.ts';
import { createAggregator } from '../aggregate/aggregator.ts';
import { formatMetricsTable } from './metrics-table.ts';

describe('formatMetricsTable', () => {
  it('shows pass@k and pass^k under a boolean score of a run with trials', () => {
    const agg = createAggregator();
    // e1 passes 1 of 2, e2 passes 2 of 2: pass@2 = (1 + 1) / 2 = 1, pass^2 = (0 + 1) / 2 = 0.5.
    [
      ['e1', true],
      ['e1', false],
      ['e2', true],
      ['e2', true],
    ].forEach(([example, pass], i) =>
      agg.add(
        traceSchema.parse({
          id: `t${i}`,
          exampleId: example,
          trial: (i % 2) + 1,
          input: {},
          start: 0,
          end: 1,
          durationMs: 1,
          scores: [{ name: 'correct', value: pass, source: 'code' }],
        }),
      ),
    );
    const text = formatMetricsTable(agg.result());
    expect(text).toMatch(/pass@2\s+trials\s+2\s+1\b/);
    expect(text).toMatch(/pass\^2\s+trials\s+2\s+0\.5\b/);
  });
});
