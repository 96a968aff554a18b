import type { ScoreValue } from '../../schemas/score.ts';
import type { Trace } from '../../schemas/trace.ts';
import type { CompareRecord } from './compare-record.ts';
import type { AnnotationValue } from './annotation-index.ts';
import { canonicalJson } from '../json/canonical-json.ts';
import { type CompareInput, type PreparedComparison, prepareComparison } from './compare-runs.ts';
import { rawValue } from './metric-values.ts';
import { type WordDiffOp, wordDiff } from './word-diff.ts';

export interface PerTraceCell {
  run: string;
  trace: string;
  status: Trace['status'];
  output: unknown;
  durationMs: number;
  /** Each score's value (null when the evaluator failed); the first one if a name repeats. */
  scores: Record<string, ScoreValue>;
  /** Annotations of this trace, several judgements already reduced (mean / majority). */
  annotations: Record<string, AnnotationValue>;
}

export interface PerTraceRow {
  example: string;
  /** One cell per run, in run order; null where the run has no trace for this example. */
  runs: Array<PerTraceCell | null>;
  /** Id of the run best on the primary metric, `tie`, or null (no primary metric, a label, or fewer than two values). */
  winner: string | null;
  /** Whether the outputs differ between the runs that have this example (null with fewer than two). */
  changed: boolean | null;
  /** Word diff of each run's output against the baseline's, where both exist and differ. */
  diffs: Array<{ run: string; vs: string; ops: WordDiffOp[] }>;
}

export interface PerTraceOptions {
  /** `matched` (default): examples present in every run; `all`: every example of any run. */
  examples?: 'matched' | 'all';
  /** Compute word diffs (default true); off makes rows cheap for a table. */
  diffs?: boolean;
}

/**
 * One row per example: each run's trace output, scores and annotations, the winner on the
 * primary metric and a word diff of outputs against the baseline. Kept apart from compareRuns
 * because rows are large (outputs and diffs) and not every consumer needs them. Rows are
 * sorted by example key.
 */
export function comparePerTrace(
  input: CompareInput,
  options: PerTraceOptions = {},
  prepared: PreparedComparison = prepareComparison(input),
): PerTraceRow[] {
  const { runIds, alignment, specs, annotations } = prepared;
  const primary = specs.find((s) => s.primary && s.kind !== 'label');
  const keys = options.examples === 'all' ? [...new Set(alignment.lookup.flatMap((m) => [...m.keys()]))].sort() : alignment.keys;
  const withDiffs = options.diffs !== false;

  return keys.map((example) => {
    const traces = input.runs.map((run, r) => {
      const i = alignment.lookup[r]!.get(example);
      return i === undefined ? null : run.records[i]!;
    });
    const cells = traces.map((trace, r) => (trace ? cell(runIds[r]!, trace, annotations.get(runIds[r]!, trace.id)) : null));

    let winner: string | null = null;
    if (primary) {
      const values = traces.map((trace, r) => {
        if (!trace) return null;
        const v = rawValue(primary, runIds[r]!, trace, annotations);
        if (typeof v === 'boolean') return v ? 1 : 0;
        return typeof v === 'number' && Number.isFinite(v) ? v : null;
      });
      const valued = values.map((v, r) => ({ v, r })).filter((e): e is { v: number; r: number } => e.v !== null);
      if (valued.length >= 2) {
        const sign = primary.direction === 'lower' ? -1 : 1;
        const best = Math.max(...valued.map((e) => sign * e.v));
        const top = valued.filter((e) => sign * e.v === best);
        winner = top.length === 1 ? runIds[top[0]!.r]! : 'tie';
      }
    }

    const present = traces.filter((t): t is CompareRecord => t !== null);
    const outputs = present.map((t) => t.outputKey);
    const changed = present.length < 2 ? null : outputs.some((o) => o !== outputs[0]);

    const diffs: PerTraceRow['diffs'] = [];
    const base = traces[0];
    if (withDiffs && base) {
      const baseText = outputText(base.output);
      traces.forEach((trace, r) => {
        if (r === 0 || !trace) return;
        const text = outputText(trace.output);
        if (text !== baseText) diffs.push({ run: runIds[r]!, vs: runIds[0]!, ops: wordDiff(baseText, text) });
      });
    }
    return { example, runs: cells, winner, changed, diffs };
  });
}

function cell(run: string, trace: CompareRecord, annotations: ReadonlyMap<string, AnnotationValue> | undefined): PerTraceCell {
  const scores: Record<string, ScoreValue> = {};
  for (const score of trace.scores) {
    if (Object.hasOwn(scores, score.name)) continue;
    scores[score.name] = score.value;
  }
  return {
    run,
    trace: trace.id,
    status: trace.status,
    output: trace.output,
    durationMs: trace.durationMs,
    scores,
    annotations: annotations ? Object.fromEntries([...annotations].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : {},
  };
}

/** A string output as is; anything else as indented JSON with sorted keys. */
function outputText(output: unknown): string {
  if (typeof output === 'string') return output;
  if (output === undefined) return '';
  return JSON.stringify(JSON.parse(canonicalJson(output)), null, 2);
}
