import { judgeErrorsText, judgeRowText, judgesStateText, type JudgeRowText } from '../annotations/judges-and-people-text.ts';
import type { RunJudges } from '../compare/judges-per-run.ts';

/** The report's "Judges and people" section: every compared run's judges against its people. */
export interface ReportJudgesView {
  /** False when no compared run has annotations (or the caller had no traces to pair): no section. */
  show: boolean;
  rows: Array<JudgeRowText & { run: string }>;
  /** Per run: what was compared, or that nothing overlapped; then the error correlations. */
  notes: string[];
}

/** `runs` in the comparison's order; `letters` the report's run letters. */
export function reportJudgesView(runs: readonly RunJudges[] | undefined, letters: readonly string[]): ReportJudgesView {
  if (!runs || runs.every((r) => r.state === 'none')) return { show: false, rows: [], notes: [] };
  return {
    show: true,
    rows: runs.flatMap((r, i) => r.rows.map((row) => ({ run: letters[i] ?? '?', ...judgeRowText(row) }))),
    notes: runs.flatMap((r, i) => [
      `${letters[i] ?? '?'}: ${judgesStateText(r) ?? 'no annotations.'}`,
      ...r.errors.flatMap((e) => judgeErrorsText(e).map((l) => `${letters[i] ?? '?'}: ${l}`)),
    ]),
  };
}
