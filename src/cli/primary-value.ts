import type { RunMetrics } from '../../schemas/metrics.ts';

/** The mean of a numeric or boolean score in a run's metrics, or null when it has none. */
export function primaryValue(metrics: RunMetrics, name: string): number | null {
  const summary = metrics.scores[name];
  return summary && summary.kind !== 'label' ? summary.mean : null;
}
