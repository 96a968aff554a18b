import type { Direction } from '../../schemas/experiment.ts';
import type { MetricSource } from './comparison.ts';

/**
 * Which way a metric improves, in words: "higher is better". Every view (the CLI, the site,
 * the report, the pull-request comment) says it so, never with an arrow (↑ ↓), which readers
 * take for a column's sort order. Empty for labels, which have no direction.
 */
export function directionText(direction: Direction | null | undefined): string {
  return direction ? `${direction} is better` : '';
}

/**
 * A metric as people read it: `latency (ms)` and `cost ($)` for the built-in metrics, whose
 * JSON names (`latencyMs`, `cost`) stay the machine contract; any other metric by its name.
 */
export function metricLabel(metric: { name: string; source: MetricSource }): string {
  if (metric.source === 'latency') return 'latency (ms)';
  if (metric.source === 'cost') return 'cost ($)';
  return metric.name;
}
