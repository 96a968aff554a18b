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
    expect(text).toMatch(/pass@2\s+trials\s+2\s+100\.0%/);
    expect(text).toMatch(/pass\^2\s+trials\s+2\s+50\.0%/);
  });

  it('puts the mean per trace of tokens and cost under "mean", and the run\'s totals beside them', () => {
    const agg = createAggregator();
    [100, 500].forEach((input, i) =>
      agg.add(
        traceSchema.parse({
          id: `t${i}`,
          exampleId: `e${i}`,
          input: {},
          start: 0,
          end: 1,
          durationMs: 1,
          spans: [{ id: 's', name: 'llm', type: 'LLM', start: 0, end: 1, usage: { input, output: 50 }, cost: { total: input / 1e5 } }],
        }),
      ),
    );
    const text = formatMetricsTable(agg.result());
    expect(text).toMatch(/tokens\s+usage\s+2\s+350\s+total 700: in 600 · out 100/);
    expect(text).toMatch(/cost \(\$\)\s+usage\s+2\s+0\.003\s+total 0\.006/);
  });
});
