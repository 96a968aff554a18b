import type { Experiment } from '#schemas/experiment.ts';
import type { RunMetrics, ScoreSummary } from '#schemas/metrics.ts';
import { formatCost, formatCount, formatInterval, formatMs, formatNumber, formatScore } from './format.ts';
import type { Direction } from './run-rows.ts';

export type MetricFormat = 'number' | 'boolean' | 'label' | 'ms' | 'count' | 'cost' | 'rate';

/** One aggregated metric of a run, with its display text already made. */
export interface MetricValue {
  key: string;
  label: string;
  format: MetricFormat;
  direction: Direction | null;
  /** Null for labels and for metrics with no values. */
  value: number | null;
  ci: [number, number] | null;
  text: string;
  ciText: string;
  /** Values the figure rests on (traces with the score), for "n = …". */
  n: number | null;
  /** Evaluator errors (value null or error) for scores. */
  errors: number | null;
  /** Whether this is the experiment's primary metric. */
  primary: boolean;
}

/** Metrics computed for every run besides the scores; all improve downwards. */
const BUILT_IN: { key: string; label: string; format: MetricFormat; get: (m: RunMetrics) => number | null }[] = [
  { key: 'errorRate', label: 'error rate', format: 'rate', get: (m) => m.traces.errorRate },
  { key: 'latency.p50', label: 'latency p50', format: 'ms', get: (m) => m.latencyMs.p50 },
  { key: 'latency.p95', label: 'latency p95', format: 'ms', get: (m) => m.latencyMs.p95 },
  { key: 'tokens.mean', label: 'tokens / trace', format: 'count', get: (m) => m.tokens.perTrace.mean },
  { key: 'cost.total', label: 'cost', format: 'cost', get: (m) => (m.cost.perTrace.count > 0 ? m.cost.total : null) },
];

/** The key of a score metric (built-ins have plain keys; scores are prefixed). */
export const scoreMetricKey = (name: string) => `score:${name}`;

/**
 * A run's metrics in display order: the primary metric, the other declared metrics, the other
 * scores by name, then error rate, latency, tokens and cost.
 */
export function runMetricValues(metrics: RunMetrics | null, definition: Experiment): MetricValue[] {
  if (!metrics) return [];
  const declared = new Map(definition.metrics.map((m) => [m.name, m]));
  const primary = primaryMetricName(definition, metrics);
  const names = Object.keys(metrics.scores).sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
  function rank(name: string): number {
    if (name === primary) return 0;
    const i = definition.metrics.findIndex((m) => m.name === name);
    return i >= 0 ? 1 + i : 1000;
  }
  const values: MetricValue[] = names.map((name) =>
    scoreValue(name, metrics.scores[name]!, declared.get(name)?.direction ?? 'higher', name === primary),
  );
  for (const b of BUILT_IN) {
    const value = b.get(metrics);
    values.push({
      key: b.key,
      label: b.label,
      format: b.format,
      direction: 'lower',
      value,
      ci: null,
      text: formatBuiltIn(value, b.format),
      ciText: '',
      n: metrics.traces.count,
      errors: null,
      primary: false,
    });
  }
  return values;
}

function scoreValue(name: string, summary: ScoreSummary, direction: Direction, primary: boolean): MetricValue {
  if (summary.kind === 'label') {
    const top = Object.entries(summary.counts)
      .sort((a, b) => b[1] - a[1])
      .slice(0, 3);
    return {
      key: scoreMetricKey(name),
      label: name,
      format: 'label',
      direction: null,
      value: null,
      ci: null,
      text: top.map(([label, count]) => `${label} ${count}`).join(' · ') || '—',
      ciText: '',
      n: summary.count,
      errors: summary.errors,
      primary,
    };
  }
  return {
    key: scoreMetricKey(name),
    label: name,
    format: summary.kind,
    direction,
    value: summary.mean,
    ci: summary.ci,
    text: formatScore(summary.mean, summary.kind),
    ciText: formatInterval(summary.ci, summary.kind),
    n: summary.count,
    errors: summary.errors,
    primary,
  };
}

function formatBuiltIn(value: number | null, format: MetricFormat): string {
  switch (format) {
    case 'ms':
      return formatMs(value);
    case 'count':
      return formatCount(value);
    case 'cost':
      return formatCost(value);
    case 'rate':
      return value === null ? '—' : `${(value * 100).toFixed(1)}%`;
    default:
      return formatNumber(value);
  }
}

/**
 * The metric a run is judged by: the declared primary metric, else the first declared metric,
 * else the first numeric score by name; null when the run has no numeric score.
 */
export function primaryMetricName(definition: Experiment, metrics: RunMetrics | null): string | null {
  if (definition.primaryMetric) return definition.primaryMetric;
  if (definition.metrics[0]) return definition.metrics[0].name;
  if (!metrics) return null;
  return (
    Object.keys(metrics.scores)
      .sort()
      .find((name) => metrics.scores[name]!.kind !== 'label') ?? null
  );
}

/**
 * Which entries hold the best value: the highest or lowest by direction, ties included. Needs
 * two or more values, since a lone value is not "best" of anything.
 */
export function bestIndices(values: readonly (number | null)[], direction: Direction | null): Set<number> {
  const best = new Set<number>();
  if (!direction) return best;
  const present = values.map((v, i) => ({ v, i })).filter((x): x is { v: number; i: number } => x.v !== null && Number.isFinite(x.v));
  if (present.length < 2) return best;
  const target = direction === 'higher' ? Math.max(...present.map((x) => x.v)) : Math.min(...present.map((x) => x.v));
  if (present.every((x) => x.v === target)) return best;
  for (const x of present) if (x.v === target) best.add(x.i);
  return best;
}
