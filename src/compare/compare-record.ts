import type { ScoreValue } from '../../schemas/score.ts';
import type { Trace } from '../../schemas/trace.ts';
import { traceUsage } from '../aggregate/span-measures.ts';
import { canonicalJson } from '../json/canonical-json.ts';

/**
 * What the compare engine reads of one trace, and nothing more: the CLI builds it from traces
 * (`compareRecordsFromTraces`), the site from its table rows (site/view/compare-records.ts), so
 * both compare with the same engine and neither fakes a trace for it.
 */
export interface CompareRecord {
  /** The trace's id: annotations and duplicate reports name it. */
  id: string;
  /** The example id: runs are matched on it first. */
  exampleId: string;
  /**
   * The input as a canonical string (canonical JSON, or a digest of it): runs that share no
   * example id are matched on it. Equal inputs give equal keys whatever their key order.
   */
  inputKey: string;
  /** The trial number, for several trials of one example. */
  trial?: number;
  status: Trace['status'];
  durationMs: number;
  /** Total tokens of the spans that report usage; null when none does. */
  tokens: number | null;
  /** Total cost of the spans that report one; null when none does. */
  cost: number | null;
  /** Scores in trace order (the first of a name counts); null where the evaluator failed. */
  scores: ReadonlyArray<{ name: string; value: ScoreValue }>;
  /** The output as a canonical string: equal outputs, equal keys ("changed" detection). */
  outputKey: string;
  /** The output itself when the caller has it (per-example rows, word diffs, exports). */
  output?: unknown;
  /** The value at the experiment's `cluster` path, when it clusters and the trace has one. */
  cluster?: unknown;
}

/** The record of a trace; `clusterPath` is experiment.yaml's `cluster` (a dotted path into the trace). */
function compareRecordFromTrace(trace: Trace, clusterPath?: string): CompareRecord {
  const { totalTokens: tokens, cost } = traceUsage(trace.spans ?? []);
  const record: CompareRecord = {
    id: trace.id,
    exampleId: trace.exampleId,
    inputKey: canonicalJson(trace.input),
    status: trace.status,
    durationMs: trace.durationMs,
    tokens,
    cost,
    scores: (trace.scores ?? []).map((s) => ({ name: s.name, value: s.error !== undefined ? null : s.value })),
    outputKey: canonicalJson(trace.output ?? null),
    output: trace.output,
  };
  if (trace.trial !== undefined) record.trial = trace.trial;
  if (clusterPath) {
    const value = valueAt(trace, clusterPath.split('.'));
    if (value !== undefined) record.cluster = value;
  }
  return record;
}

export function compareRecordsFromTraces(traces: readonly Trace[], clusterPath?: string): CompareRecord[] {
  return traces.map((trace) => compareRecordFromTrace(trace, clusterPath));
}

function valueAt(trace: Trace, path: readonly string[]): unknown {
  let node: unknown = trace;
  for (const part of path) {
    if (node === null || typeof node !== 'object' || Array.isArray(node) || !Object.hasOwn(node, part)) return undefined;
    node = (node as Record<string, unknown>)[part];
  }
  return node;
}
