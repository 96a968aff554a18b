import type { Comparison, MetricComparison } from '../compare/comparison.ts';
import type { PerTraceRow } from '../compare/per-trace.ts';

/** One example whose primary metric moved between the baseline and a compared run. */
export interface ExampleMove {
  example: string;
  /** Index of the compared run in the comparison's run order (≥ 1). */
  run: number;
  /** The metric in the baseline and in the run (pass/fail as 1/0). */
  before: number;
  after: number;
  /** after − before, signed so that a positive number is better (direction applied). */
  gain: number;
}

interface ExampleMoves {
  metric: MetricComparison;
  /** Per compared run (index 1…): the examples that got worse, worst first, and better, best first. */
  runs: Array<{ run: number; regressed: ExampleMove[]; improved: ExampleMove[] }>;
}

/**
 * The metric examples are ranked by: the primary metric if it is a number or pass/fail,
 * else the first such score. Labels have no direction, so they cannot rank.
 */
function rankingMetric(comparison: Comparison): MetricComparison | null {
  const rankable = comparison.metrics.filter(
    (m) => m.kind !== 'label' && m.direction !== null && (m.source === 'score' || m.source === 'annotation'),
  );
  return rankable.find((m) => m.primary) ?? rankable[0] ?? null;
}

/**
 * For each compared run, the examples whose ranking metric moved against the baseline, ordered
 * by how much (ties by example id, so the order is stable). Examples missing from either run,
 * or without a usable value in either, are left out.
 */
export function exampleMoves(comparison: Comparison, rows: readonly PerTraceRow[]): ExampleMoves | null {
  const metric = rankingMetric(comparison);
  if (!metric) return null;
  const key = metric.source === 'annotation' ? metric.name.replace(/ \(annotation\)$/, '') : metric.name;
  const sign = metric.direction === 'lower' ? -1 : 1;
  const valueOf = (cell: PerTraceRow['runs'][number]): number | null => {
    if (!cell) return null;
    const v = metric.source === 'annotation' ? cell.annotations[key] : cell.scores[key];
    if (typeof v === 'boolean') return v ? 1 : 0;
    return typeof v === 'number' && Number.isFinite(v) ? v : null;
  };
  const runs: ExampleMoves['runs'] = [];
  for (let r = 1; r < comparison.runs.length; r++) {
    const moves: ExampleMove[] = [];
    for (const row of rows) {
      const before = valueOf(row.runs[0] ?? null);
      const after = valueOf(row.runs[r] ?? null);
      if (before === null || after === null || before === after) continue;
      moves.push({ example: row.example, run: r, before, after, gain: sign * (after - before) });
    }
    const byExample = (a: ExampleMove, b: ExampleMove) => (a.example < b.example ? -1 : a.example > b.example ? 1 : 0);
    runs.push({
      run: r,
      regressed: moves.filter((m) => m.gain < 0).sort((a, b) => a.gain - b.gain || byExample(a, b)),
      improved: moves.filter((m) => m.gain > 0).sort((a, b) => b.gain - a.gain || byExample(a, b)),
    });
  }
  return { metric, runs };
}
