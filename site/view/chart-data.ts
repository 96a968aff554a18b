import type { IntervalPoint, TrendChartPoint } from './chart-specs.ts';
import { formatDate, formatNumber } from './format.ts';

/**
 * A chart's numbers as the text of a table: what a screen reader reads instead of the drawing,
 * and what anyone can open under the chart. Made from the very points the chart is drawn from.
 */
export interface ChartData {
  columns: string[];
  rows: string[][];
}

/** A trend chart's runs, oldest first: each value as the tables show it (`text`). */
export function trendData(points: readonly TrendChartPoint[], metric: string): ChartData {
  return {
    columns: ['run', 'config', 'date (UTC)', metric],
    rows: points.map((p) => [p.name, p.config, formatDate(p.date), p.text]),
  };
}

/** An interval chart's points, metric by metric: the value, its 95% interval and, for deltas, the verdict the colour shows. */
export function intervalData(points: readonly IntervalPoint[], verdicts: boolean): ChartData {
  return {
    columns: ['metric', 'run', 'value', '95% interval', ...(verdicts ? ['verdict'] : [])],
    rows: points.map((p) => [
      p.metric,
      p.run,
      formatNumber(p.value),
      `${formatNumber(p.lo)} to ${formatNumber(p.hi)}`,
      ...(verdicts ? [p.tag] : []),
    ]),
  };
}

/**
 * The table as one sentence for `aria-describedby`, each cell after its column's name:
 * `run: baseline, config: small, date (UTC): 2026-01-15 09:00, correct: 33.3%; run: …`.
 */
export function chartDataText(data: ChartData): string {
  return data.rows.map((row) => row.map((cell, i) => `${data.columns[i]}: ${cell}`).join(', ')).join('; ');
}
