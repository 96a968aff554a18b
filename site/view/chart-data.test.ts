import { describe, expect, it } from 'vitest';
import { chartDataText, intervalData, trendData } from './chart-data.ts';

describe('the text of a chart', () => {
  it("lists a trend's runs with their config, UTC date and value as the tables print it", () => {
    const points = [
      { run: 'r1', name: 'baseline', config: 'small', date: '2026-01-15T09:00:00.000Z', value: 0.3333, text: '33.3%' },
      { run: 'r2', name: 'candidate', config: 'large', date: '2026-01-16T21:30:00.000Z', value: 0.75, text: '75.0%' },
    ];
    expect(trendData(points, 'correct')).toEqual({
      columns: ['run', 'config', 'date (UTC)', 'correct'],
      rows: [
        ['baseline', 'small', '2026-01-15 09:00', '33.3%'],
        ['candidate', 'large', '2026-01-16 21:30', '75.0%'],
      ],
    });
  });

  it("lists an interval chart's values and intervals, and the verdict only for deltas", () => {
    const point = { metric: 'f1', run: 'B · candidate', value: -0.04213, lo: -0.0812, hi: 0.00051, tag: 'worse' as const };
    expect(intervalData([point], true)).toEqual({
      columns: ['metric', 'run', 'value', '95% interval', 'verdict'],
      rows: [['f1', 'B · candidate', '-0.0421', '-0.0812 to 0.00051', 'worse']],
    });
    expect(intervalData([{ ...point, tag: 'run' }], false).rows).toEqual([['f1', 'B · candidate', '-0.0421', '-0.0812 to 0.00051']]);
  });

  it('reads the table as one sentence, each cell after its column', () => {
    expect(
      chartDataText({
        columns: ['run', 'value'],
        rows: [
          ['a', '1'],
          ['b', '2'],
        ],
      }),
    ).toBe('run: a, value: 1; run: b, value: 2');
  });
});
