import type { JudgeQueryResult } from '../analysis/query-judges.ts';
import type { CsvCell } from './csv.ts';

/** `labbook query --by judge --format csv`: one row per run, name and judge, every figure a number. */
export function judgesCsvRows(result: JudgeQueryResult): CsvCell[][] {
  const header = [
    'run',
    'name',
    'kind',
    'judge',
    'n',
    'statistic',
    'value',
    'low',
    'high',
    'spearman',
    'spearman_low',
    'spearman_high',
    'bias',
    'bias_low',
    'bias_high',
    'same_label_share',
    'tolerance',
    'disagreements',
  ];
  const rows: CsvCell[][] = [header];
  for (const run of result.runs) {
    for (const r of run.judges.rows) {
      rows.push([
        run.id,
        r.name,
        r.kind,
        r.judge,
        r.n,
        r.statistic,
        r.estimate.value,
        r.estimate.low,
        r.estimate.high,
        r.spearman?.value ?? null,
        r.spearman?.low ?? null,
        r.spearman?.high ?? null,
        r.bias?.value ?? null,
        r.bias?.low ?? null,
        r.bias?.high ?? null,
        r.observed,
        r.tolerance,
        r.disagreements,
      ]);
    }
  }
  return rows;
}
