import type { Annotation } from '#schemas/annotation.ts';
import type { Comparison } from '#lib/compare/comparison.ts';
import type { PerTraceRow } from '#lib/compare/per-trace.ts';
import type { RunMeta } from '#site/view/run-meta.ts';
import type { RunRows } from '#site/view/run-rows.ts';

/**
 * What the compare worker is asked: the comparison (metrics, tests, verdicts), or the
 * per-example rows of every example of any run (for the CSV download and the PDF report).
 */
export interface CompareJob {
  runs: { meta: RunMeta; rows: RunRows }[];
  /** The annotations of these runs: the engine compares them like scores. */
  annotations: Annotation[];
  want: 'comparison' | 'rows';
}

export type CompareResult = { ok: true; comparison: Comparison } | { ok: true; rows: PerTraceRow[] } | { ok: false; error: string };
