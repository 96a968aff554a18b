import type { Direction } from '#schemas/experiment.ts';
import type { RunRows, ScoreColumn } from './run-rows.ts';

/** A metric the aligned traces can be judged on: a numeric score or annotation column, or a built-in. */
export interface JudgeMetric {
  source: 'score' | 'annotation' | 'latency' | 'tokens' | 'cost';
  /** The score or annotation name (unused for built-ins). */
  key: string;
  label: string;
  direction: Direction;
  /** Pass/fail scores read as 1/0 and show as pass/fail. */
  kind: 'number' | 'boolean';
}

/**
 * The compare page's traces table: one entry per example of any run, sorted by example key,
 * with each run's row (or -1), the winner on the judged metric and whether outputs changed.
 */
interface CompareTable {
  examples: string[];
  /** rowOf[run][k]: the row of example k in that run's rows.json, or -1. */
  rowOf: Int32Array[];
  /** Winning run position, -1 none (fewer than two values), -2 a tie. */
  winner: Int8Array;
  /** 1 outputs differ between the runs that have the example, 0 same, -1 fewer than two runs. */
  changed: Int8Array;
}

/** The column of a score or annotation metric in a run's rows (a score and an annotation may share a name). */
function metricColumn(rows: RunRows, metric: JudgeMetric): ScoreColumn | undefined {
  return rows.scores.find((c) => c.source === metric.source && c.name === metric.key);
}

/** The value of a metric on one row (booleans as 1/0), or null. */
export function metricValue(rows: RunRows, metric: JudgeMetric, row: number): number | null {
  if (row < 0) return null;
  switch (metric.source) {
    case 'latency':
      return rows.latency[row] ?? null;
    case 'tokens':
      return rows.tokens[row] ?? null;
    case 'cost':
      return rows.cost[row] ?? null;
    case 'score':
    case 'annotation': {
      const v = metricColumn(rows, metric)?.values[row];
      return typeof v === 'number' && Number.isFinite(v) ? v : null;
    }
  }
}

/**
 * Aligns runs on example ids like the compare engine (the first trace of an example counts)
 * and marks winners the same way as its per-trace rows: the best value by direction among
 * runs that have one, a tie when several share it, none with fewer than two values.
 */
export function buildCompareTable(runs: readonly RunRows[], metric: JudgeMetric | null): CompareTable {
  const maps = runs.map((rows) => {
    const map = new Map<string, number>();
    for (let i = 0; i < rows.count; i++) if (!map.has(rows.example[i]!)) map.set(rows.example[i]!, i);
    return map;
  });
  const all = new Set<string>();
  for (const map of maps) for (const key of map.keys()) all.add(key);
  const examples = [...all].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const rowOf = maps.map((map) => Int32Array.from(examples, (key) => map.get(key) ?? -1));
  const winner = new Int8Array(examples.length).fill(-1);
  const changed = new Int8Array(examples.length).fill(-1);
  const columns = metric?.source === 'score' || metric?.source === 'annotation' ? runs.map((rows) => metricColumn(rows, metric)) : null;
  const sign = metric?.direction === 'lower' ? -1 : 1;
  for (let k = 0; k < examples.length; k++) {
    let firstHash: string | null = null;
    let present = 0;
    let differs = false;
    let best = -Infinity;
    let bestRun = -1;
    let valued = 0;
    for (let r = 0; r < runs.length; r++) {
      const row = rowOf[r]![k]!;
      if (row < 0) continue;
      const hash = runs[r]!.outputHash[row]!;
      if (present++ === 0) firstHash = hash;
      else if (hash !== firstHash) differs = true;
      if (!metric) continue;
      let v: number | null;
      if (columns) {
        const raw = columns[r]?.values[row];
        v = typeof raw === 'number' && Number.isFinite(raw) ? raw : null;
      } else v = metricValue(runs[r]!, metric, row);
      if (v === null) continue;
      valued++;
      if (sign * v > best) {
        best = sign * v;
        bestRun = r;
      } else if (sign * v === best) bestRun = -2;
    }
    changed[k] = present < 2 ? -1 : differs ? 1 : 0;
    winner[k] = valued >= 2 ? bestRun : -1;
  }
  return { examples, rowOf, winner, changed };
}

export type CompareFilter =
  | { kind: 'all' }
  | { kind: 'changed' }
  /** Examples where some run is worse than the baseline (run 0) on the judged metric. */
  | { kind: 'regressions' }
  /** Examples where run `a` is better than run `b` on the judged metric. */
  | { kind: 'better'; a: number; b: number }
  /** Examples where the people who annotated some run's trace disagree. */
  | { kind: 'disagreements' }
  /** Examples where an automated judge and the people disagree on some run's trace. */
  | { kind: 'judge-disagreements' };

/** Positions of the table's examples that pass a filter and contain every search word. */
export function filterCompareTable(
  table: CompareTable,
  runs: readonly RunRows[],
  metric: JudgeMetric | null,
  filter: CompareFilter,
  text = '',
): Uint32Array {
  const words = text.toLowerCase().split(/\s+/).filter(Boolean);
  const sign = metric?.direction === 'lower' ? -1 : 1;
  const value = (r: number, k: number) => (metric ? metricValue(runs[r]!, metric, table.rowOf[r]![k]!) : null);
  const disputed =
    filter.kind === 'disagreements'
      ? runs.map((rows) => new Set(rows.disagreements ?? []))
      : filter.kind === 'judge-disagreements'
        ? runs.map((rows) => new Set(rows.judgeDisagreements ?? []))
        : null;
  const out: number[] = [];
  for (let k = 0; k < table.examples.length; k++) {
    if (filter.kind === 'changed' && table.changed[k] !== 1) continue;
    if (disputed && !disputed.some((rows, r) => rows.has(table.rowOf[r]![k]!))) continue;
    if (filter.kind === 'regressions') {
      const base = value(0, k);
      if (base === null) continue;
      let worse = false;
      for (let r = 1; r < runs.length && !worse; r++) {
        const v = value(r, k);
        if (v !== null && sign * v < sign * base) worse = true;
      }
      if (!worse) continue;
    }
    if (filter.kind === 'better') {
      const a = value(filter.a, k);
      const b = value(filter.b, k);
      if (a === null || b === null || !(sign * a > sign * b)) continue;
    }
    if (words.length > 0) {
      let haystack = table.examples[k]!;
      for (let r = 0; r < runs.length; r++) {
        const row = table.rowOf[r]![k]!;
        if (row >= 0) haystack += `\n${runs[r]!.id[row]}\n${runs[r]!.input[row]}\n${runs[r]!.output[row]}`;
      }
      haystack = haystack.toLowerCase();
      if (!words.every((w) => haystack.includes(w))) continue;
    }
    out.push(k);
  }
  return Uint32Array.from(out);
}

/** Built-in metric names as experiment.yaml may name them (the compare engine's names). */
const BUILT_IN: Record<string, JudgeMetric> = {
  latencyMs: { source: 'latency', key: 'latencyMs', label: 'latency', direction: 'lower', kind: 'number' },
  tokens: { source: 'tokens', key: 'tokens', label: 'tokens', direction: 'lower', kind: 'number' },
  cost: { source: 'cost', key: 'cost', label: 'cost', direction: 'lower', kind: 'number' },
};

/**
 * Every metric the traces can be judged on: numeric and pass/fail score columns of any run,
 * then annotation metrics (their direction is the column's, from experiment.yaml's annotation
 * rules), then latency, tokens and cost. Score directions come from experiment.yaml (default higher).
 */
export function judgeMetrics(runs: readonly RunRows[], declared: readonly { name: string; direction: Direction }[]): JudgeMetric[] {
  const seen = new Map<string, JudgeMetric>();
  const annotations = new Map<string, JudgeMetric>();
  for (const rows of runs) {
    for (const column of rows.scores) {
      if (column.kind === 'label') continue;
      if (column.source === 'annotation') {
        if (!annotations.has(column.name))
          annotations.set(column.name, {
            source: 'annotation',
            key: column.name,
            label: `${column.name} (annotation)`,
            direction: column.direction ?? 'higher',
            kind: 'number',
          });
        continue;
      }
      if (seen.has(column.name)) continue;
      const direction = declared.find((m) => m.name === column.name)?.direction ?? 'higher';
      seen.set(column.name, {
        source: 'score',
        key: column.name,
        label: column.name,
        direction,
        kind: column.kind === 'boolean' ? 'boolean' : 'number',
      });
    }
  }
  const tracked = declared.map((m) => m.name).filter((n) => seen.has(n));
  const others = [...seen.keys()].filter((n) => !tracked.includes(n)).sort();
  const builtIns = Object.values(BUILT_IN).map((b) => ({
    ...b,
    direction: declared.find((m) => m.name === b.key)?.direction ?? b.direction,
  }));
  const annotated = [...annotations.keys()].sort().map((n) => annotations.get(n)!);
  return [...[...tracked, ...others].map((n) => seen.get(n)!), ...annotated, ...builtIns];
}

/**
 * The metric per-trace winners are decided on, by the compare engine's rule: experiment.yaml's
 * primaryMetric, else its first tracked metric, else the first score; none if that is a label.
 */
export function defaultJudgeMetric(
  runs: readonly RunRows[],
  experiment: { metrics: readonly { name: string; direction: Direction }[]; primaryMetric: string | null },
): JudgeMetric | null {
  const candidates = judgeMetrics(runs, experiment.metrics);
  const named = experiment.primaryMetric ?? experiment.metrics[0]?.name;
  const labels = new Set(runs.flatMap((r) => r.scores.filter((c) => c.kind === 'label' && c.source === 'score').map((c) => c.name)));
  if (named !== undefined) {
    if (labels.has(named) && !candidates.some((c) => c.key === named)) return null;
    const found = candidates.find((c) => c.key === named);
    if (found) return found;
  }
  const allScores = new Set(runs.flatMap((r) => r.scores.filter((c) => c.source === 'score').map((c) => c.name)));
  const tracked = experiment.metrics.map((m) => m.name).filter((n) => allScores.has(n));
  const first = [...tracked, ...[...allScores].filter((n) => !tracked.includes(n)).sort()][0];
  if (first === undefined || (labels.has(first) && !candidates.some((c) => c.key === first))) return null;
  return candidates.find((c) => c.key === first) ?? null;
}
