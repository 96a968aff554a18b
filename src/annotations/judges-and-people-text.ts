import type { Estimate, JudgeErrors, JudgeRow, JudgesAndPeople } from './judges-and-people.ts';

/*
 * "Judges and people" as text cells, one shape for the CLI table, the PDF and the site (which
 * runs part of this in the browser: no Node imports here). Escaping is the renderer's job.
 */

/** One table row: every cell already text. */
export interface JudgeRowText {
  name: string;
  judge: string;
  kind: 'metric' | 'label';
  n: string;
  /** `κ 0.61 [0.33, 0.88]` or `r 0.84 [0.61, 0.94]`. */
  agreement: string;
  /** `ρ 0.80 [0.52, 0.93]`, or `—` for labels. */
  spearman: string;
  /** `+0.12 [-0.05, 0.29]` for metrics; `72% same label` for labels. */
  bias: string;
  disagreements: string;
}

/** What to say above (or instead of) the table. */
export function judgesStateText(view: JudgesAndPeople): string | null {
  if (view.state === 'none') return null;
  if (view.state === 'no-overlap') {
    return `No overlap: people annotated ${view.annotatedNames.join(', ')}, but no automated judge (llm_judge or code) scored those names on the same traces.`;
  }
  const traces = view.disagreeing.length;
  return `Automated scores set beside the people's annotations of the same name on the same traces (95% intervals). Judge and people disagree on ${traces} trace${traces === 1 ? '' : 's'}.`;
}

export function judgeRowText(row: JudgeRow): JudgeRowText {
  return {
    name: row.name,
    judge: row.judge,
    kind: row.kind,
    n: String(row.n),
    agreement: `${row.statistic === 'kappa' ? 'κ' : 'r'} ${row.estimate.value === null ? undefinedWhy(row) : estimateText(row.estimate)}`,
    spearman: row.spearman ? `ρ ${estimateText(row.spearman)}` : '—',
    bias: row.bias ? estimateText(row.bias, true) : row.observed === null ? '—' : `${Math.round(row.observed * 100)}% same label`,
    disagreements:
      row.tolerance === null || row.tolerance === 0 ? String(row.disagreements) : `${row.disagreements} (|Δ| > ${fixed(row.tolerance)})`,
  };
}

/** Why κ or r has no value, in a few words. */
function undefinedWhy(row: JudgeRow): string {
  if (row.statistic === 'kappa') return '— (one label only)';
  return row.n < 3 ? '— (under 3 traces)' : '— (one side constant)';
}

/** Lines about several judges of one metric: how alike their mistakes are. */
export function judgeErrorsText(errors: JudgeErrors): string[] {
  const lines = errors.pairs.map((p) => `${errors.name}: errors of ${p.a} and ${p.b} correlate r ${estimateText(p.r)} over ${p.n} traces`);
  if (errors.effectiveJudges !== null) {
    lines.push(
      `${errors.name}: ${errors.judges} judges are worth about ${fixed(errors.effectiveJudges)} independent ones (mean error correlation ${fixed(errors.meanR)})`,
    );
  }
  return lines;
}

/** `0.61 [0.33, 0.88]`; `0.61` without an interval; `—` when undefined. */
export function estimateText(e: Estimate, signed = false): string {
  if (e.value === null) return '—';
  const value = signed && e.value > 0 ? `+${fixed(e.value)}` : fixed(e.value);
  return e.low === null || e.high === null ? value : `${value} [${fixed(e.low)}, ${fixed(e.high)}]`;
}

function fixed(x: number | null): string {
  if (x === null) return '—';
  // Three significant digits for large numbers, two decimals otherwise; never "-0.00".
  const text = Math.abs(x) >= 100 ? String(Number(x.toPrecision(3))) : x.toFixed(2);
  return text === '-0.00' ? '0.00' : text;
}
