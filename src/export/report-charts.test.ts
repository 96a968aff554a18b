import { describe, expect, it } from 'vitest';
import { renderVegaLiteSvg } from '../charts/vega-svg.ts';
import type { Comparison } from '../compare/comparison.ts';
import { reportChartSpecs } from './report-charts.ts';

/** The fields of a comparison the charts read: two runs, one metric that never moved, one that did. */
function comparison(): Comparison {
  const metric = (name: string, means: [number, number], delta: number, ci: [number, number]) => ({
    name,
    kind: 'number',
    source: 'score',
    runs: [
      { run: 'run-a', mean: means[0], ci: [means[0] - 1, means[0] + 1] },
      { run: 'run-b', mean: means[1], ci: [means[1] - 1, means[1] + 1] },
    ],
    deltas: [{ run: 'run-b', delta, ci, verdict: delta === 0 ? 'no detectable difference' : 'worse' }],
  });
  return {
    runs: [{ id: 'run-a' }, { id: 'run-b' }],
    metrics: [metric('flat', [0, 0], 0, [0, 0]), metric('latency_ms', [400, 1475], 1070, [1047, 1093])],
  } as unknown as Comparison;
}

describe('the report charts', () => {
  it('label their axes plainly: one "0" for a difference that never moved, thousands grouped, no exponents', async () => {
    const deltas = reportChartSpecs(comparison(), [null, null], ['A', 'B']).find((c) => c.id === 'deltas')!;
    const labels = [...(await renderVegaLiteSvg(deltas.spec)).matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]!);
    expect(labels.filter((l) => /^0\.0+$/.test(l))).toEqual([]);
    expect(labels.filter((l) => /e[+-]\d/.test(l))).toEqual([]);
    expect(labels).toContain('0');
    expect(labels.some((l) => /^1,0\d0$/.test(l))).toBe(true);
  });
});
