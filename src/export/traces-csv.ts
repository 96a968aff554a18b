import type { Trace } from '../../schemas/trace.ts';
import { traceUsage } from '../aggregate/span-measures.ts';
import { toCell, type CsvCell } from './csv.ts';

/** The annotation values of one run's traces, already reduced to one value per trace and name. */
export interface TraceAnnotations {
  /** Annotation names, in column order. */
  names: readonly string[];
  get(traceId: string): ReadonlyMap<string, number | string> | undefined;
}

/** The variable columns of a traces CSV, found by a first pass over the traces. */
interface TraceColumns {
  /** Score names, sorted. */
  scores: string[];
  /** Score names that have an error on some trace: they get a `<name> error` column. */
  scoreErrors: string[];
  /** Annotation names, sorted. */
  annotations: string[];
}

/** A pure accumulator of the score names of a stream of traces. */
export class TraceColumnScan {
  readonly #scores = new Set<string>();
  readonly #errors = new Set<string>();

  add(trace: Trace): void {
    for (const score of trace.scores) {
      this.#scores.add(score.name);
      if (score.error !== undefined) this.#errors.add(score.name);
    }
  }

  columns(annotations?: TraceAnnotations): TraceColumns {
    return { scores: [...this.#scores].sort(), scoreErrors: [...this.#errors].sort(), annotations: [...(annotations?.names ?? [])].sort() };
  }
}

const FIXED_HEADER = [
  'trace_id',
  'example_id',
  'status',
  'error',
  'input',
  'output',
  'expected',
  'latency_ms',
  'spans',
  'input_tokens',
  'output_tokens',
  'total_tokens',
  'cost_usd',
  'tags',
] as const;

/**
 * The header row: the fixed columns, then `score.<name>` for each score (and
 * `score.<name>.error` where some evaluator failed), then `annotation.<name>`.
 */
export function traceCsvHeader(columns: TraceColumns): CsvCell[] {
  const header: string[] = [...FIXED_HEADER];
  for (const name of columns.scores) {
    header.push(`score.${name}`);
    if (columns.scoreErrors.includes(name)) header.push(`score.${name}.error`);
  }
  for (const name of columns.annotations) header.push(`annotation.${name}`);
  return header;
}

/**
 * One trace as a row. Tokens and cost are summed over the trace's spans with the definitions
 * of `metrics.json` (`traceUsage`: total = usage.total, else input + output); a trace whose spans report no
 * usage gets empty token cells rather than zeros, so "not reported" is not read as "free".
 * Input, output and expected are written as text: strings as they are, anything else as JSON.
 * A score named twice on one trace shows its first value, as in `metrics.json`.
 * Annotation cells hold the reduced value (the mean of numbers, or the most frequent label).
 */
export function traceCsvRow(trace: Trace, columns: TraceColumns, annotations?: TraceAnnotations): CsvCell[] {
  const layout = layoutOf(columns);
  const usage = traceUsage(trace.spans);
  const row: CsvCell[] = [
    trace.id,
    trace.exampleId,
    trace.status,
    toCell(trace.error),
    toCell(trace.input),
    toCell(trace.output),
    toCell(trace.expected),
    toCell(trace.durationMs),
    trace.spans.length,
    usage.inputTokens,
    usage.outputTokens,
    usage.totalTokens,
    usage.cost,
    trace.tags.length > 0 ? trace.tags.join(' ') : null,
  ];
  for (let k = FIXED_HEADER.length; k < layout.width; k++) row.push(null);
  const stamp = ++layout.row; // marks the score columns this row has filled, without a Set per row
  for (const score of trace.scores) {
    const at = layout.score.get(score.name);
    if (at === undefined || layout.filled[at] === stamp) continue; // a repeated name keeps its first value
    layout.filled[at] = stamp;
    row[at] = toCell(score.value);
    if (layout.scoreError.has(score.name)) row[at + 1] = toCell(score.error);
  }
  if (columns.annotations.length > 0) {
    const values = annotations?.get(trace.id);
    if (values !== undefined) {
      columns.annotations.forEach((name, k) => (row[layout.firstAnnotation + k] = toCell(values.get(name))));
    }
  }
  return row;
}

interface Layout {
  width: number;
  /** Column of each score's value; its error, if it has an error column, is the next one. */
  score: Map<string, number>;
  scoreError: Set<string>;
  firstAnnotation: number;
  /** Per column, the number of the last row that filled it; `row` counts rows. */
  filled: Float64Array;
  row: number;
}

/** Column positions, computed once per `TraceColumns` object rather than once per row. */
const layouts = new WeakMap<TraceColumns, Layout>();

function layoutOf(columns: TraceColumns): Layout {
  let layout = layouts.get(columns);
  if (layout === undefined) {
    const score = new Map<string, number>();
    const scoreError = new Set(columns.scoreErrors);
    let at = FIXED_HEADER.length;
    for (const name of columns.scores) {
      score.set(name, at);
      at += scoreError.has(name) ? 2 : 1;
    }
    const width = at + columns.annotations.length;
    layout = { width, score, scoreError, firstAnnotation: at, filled: new Float64Array(width), row: 0 };
    layouts.set(columns, layout);
  }
  return layout;
}

/** A whole traces CSV as rows (header first), for traces already in memory. */
export function traceCsvRows(traces: Iterable<Trace>, annotations?: TraceAnnotations): CsvCell[][] {
  const list = [...traces];
  const scan = new TraceColumnScan();
  for (const trace of list) scan.add(trace);
  const columns = scan.columns(annotations);
  return [traceCsvHeader(columns), ...list.map((trace) => traceCsvRow(trace, columns, annotations))];
}
