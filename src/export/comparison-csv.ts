import { scoreAsNumber } from '../../schemas/score.ts';
import type { Comparison } from '../compare/comparison.ts';
import type { PerTraceRow } from '../compare/per-trace.ts';
import { toCell, type CsvCell } from './csv.ts';

export interface ComparisonCsvInput {
  comparison: Comparison;
  /** `comparePerTrace(input, { examples: 'all' })`: every example of any run. */
  rows: readonly PerTraceRow[];
  /** The input and expected output of each example, when known (from the baseline's trace). */
  examples?: ReadonlyMap<string, { input?: unknown; expected?: unknown }>;
}

/**
 * Rows (header first) of a comparison CSV: one row per example, then a column group per run —
 * `<run id>.trace_id`, `.status`, `.output`, `.latency_ms`, `.score.<name>`, `.annotation.<name>`
 * — then, for each run after the baseline, `delta.<run id>.<metric>`: the run's value minus
 * the baseline's for every number and pass/fail metric (pass/fail as 1/0, so a delta of −1 is a
 * regression) and latency. `in_all_runs` tells the paired examples (those the statistics use)
 * from the ones some run lacks, whose cells for that run are empty; `winner` is the run best on
 * the primary metric (or `tie`). Pure and free of Node APIs: the site calls it in the browser.
 */
export function comparisonCsvRows({ comparison, rows, examples }: ComparisonCsvInput): CsvCell[][] {
  const runIds = comparison.runs.map((r) => r.id);
  const scoreNames = new Set<string>();
  const annotationNames = new Set<string>();
  for (const row of rows) {
    for (const cell of row.runs) {
      if (!cell) continue;
      for (const name of Object.keys(cell.scores)) scoreNames.add(name);
      for (const name of Object.keys(cell.annotations)) annotationNames.add(name);
    }
  }
  const scores = [...scoreNames].sort();
  const annotations = [...annotationNames].sort();
  const labels = new Set(comparison.metrics.filter((m) => m.kind === 'label').map((m) => m.name));
  const numericScores = scores.filter((name) => !labels.has(name));
  const numericAnnotations = annotations.filter((name) => !labels.has(name) && !labels.has(`${name} (annotation)`));

  const header: string[] = ['example_id', 'in_all_runs', 'input', 'expected', 'winner', 'output_changed'];
  for (const id of runIds) {
    header.push(`${id}.trace_id`, `${id}.status`, `${id}.output`, `${id}.latency_ms`);
    for (const name of scores) header.push(`${id}.score.${name}`);
    for (const name of annotations) header.push(`${id}.annotation.${name}`);
  }
  for (const id of runIds.slice(1)) {
    for (const name of numericScores) header.push(`delta.${id}.${name}`);
    for (const name of numericAnnotations) header.push(`delta.${id}.annotation.${name}`);
    header.push(`delta.${id}.latency_ms`);
  }

  const out: CsvCell[][] = [header];
  for (const row of rows) {
    const example = examples?.get(row.example);
    const line: CsvCell[] = [
      row.example,
      row.runs.every((cell) => cell !== null),
      toCell(example?.input),
      toCell(example?.expected),
      toCell(row.winner),
      toCell(row.changed),
    ];
    for (const cell of row.runs) {
      line.push(toCell(cell?.trace), toCell(cell?.status), toCell(cell?.output), toCell(cell?.durationMs));
      for (const name of scores) line.push(toCell(cell?.scores[name]));
      for (const name of annotations) line.push(toCell(cell?.annotations[name]));
    }
    const base = row.runs[0] ?? null;
    for (const cell of row.runs.slice(1)) {
      for (const name of numericScores) line.push(difference(cell?.scores[name], base?.scores[name]));
      for (const name of numericAnnotations) line.push(difference(cell?.annotations[name], base?.annotations[name]));
      line.push(difference(cell?.durationMs, base?.durationMs));
    }
    out.push(line);
  }
  return out;
}

/** after − before for numbers and pass/fail (as 1/0); empty when either is missing or a label. */
function difference(after: unknown, before: unknown): number | null {
  const a = scoreAsNumber(after);
  const b = scoreAsNumber(before);
  return a === null || b === null ? null : a - b;
}
