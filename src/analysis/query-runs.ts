import type { FileFormatError } from '../errors/index.ts';
import { UsageError } from '../errors/index.ts';
import { Breakdown, breakdownValue, type BreakdownMetric, type BreakdownRow } from './breakdowns.ts';
import { flattenTrace } from '../store/flat-span.ts';
import { openStore } from '../store/open-store.ts';
import type { BreakdownKey } from './span-keys.ts';

interface QueryRow extends BreakdownRow {
  run: string;
  /** The chosen metric's figure for this group (see `breakdownValue`). */
  value: number;
  /** `value` as a fraction of the run's total over all groups; null when that total is 0. */
  share: number | null;
}

export interface QueryResult {
  by: BreakdownKey;
  metric: BreakdownMetric;
  runs: Array<{ id: string; experiment: string; name: string; traces: number; spans: number }>;
  /** Groups by total `value` over the runs, largest first (then by key); runs in the order given. */
  rows: QueryRow[];
}

/**
 * What `labbook query` computes: one breakdown per run, each from a single streaming pass over
 * its `traces.jsonl` (memory grows by 8 bytes per span for the latency percentiles, not with
 * the traces). A run named twice is a usage error, not a doubled row.
 */
export async function queryRuns(
  dataDir: string,
  runIds: readonly string[],
  by: BreakdownKey,
  metric: BreakdownMetric,
  /** Given, an invalid trace line is reported here and left out; without it, it throws. */
  onTraceSkipped?: (error: FileFormatError) => void,
): Promise<QueryResult> {
  const store = openStore(dataDir);
  const runs: QueryResult['runs'] = [];
  const perRun: Array<{ id: string; rows: BreakdownRow[] }> = [];
  for (const requested of runIds) {
    const run = await store.run(requested);
    if (runs.some((r) => r.id === run.id)) throw new UsageError(`run ${run.id} is given more than once`);
    const acc = new Breakdown(by);
    let traces = 0;
    let spans = 0;
    for await (const trace of run.traces(onTraceSkipped ? { onError: onTraceSkipped } : {})) {
      traces++;
      spans += trace.spans.length;
      for (const flat of flattenTrace(run.id, trace)) acc.add(flat);
    }
    runs.push({ id: run.id, experiment: run.experiment, name: run.manifest.name, traces, spans });
    perRun.push({ id: run.id, rows: acc.rows() });
  }

  const totals = new Map<string, number>(); // per group, over runs: the sort order
  const rows: QueryRow[] = [];
  for (const { id, rows: breakdownRows } of perRun) {
    const runTotal = breakdownRows.reduce((sum, row) => sum + breakdownValue(row, metric), 0);
    for (const row of breakdownRows) {
      const value = breakdownValue(row, metric);
      rows.push({ run: id, ...row, value, share: runTotal === 0 ? null : value / runTotal });
      totals.set(row.key, (totals.get(row.key) ?? 0) + value);
    }
  }
  const runOrder = new Map(runs.map((r, i) => [r.id, i]));
  rows.sort(
    (a, b) =>
      totals.get(b.key)! - totals.get(a.key)! ||
      (a.key < b.key ? -1 : a.key > b.key ? 1 : 0) ||
      runOrder.get(a.run)! - runOrder.get(b.run)!,
  );
  return { by, metric, runs, rows };
}
