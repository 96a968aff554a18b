import { chiSquareSf } from './incomplete-gamma.ts';

interface ContingencyResult {
  statistic: number;
  df: number;
  pValue: number;
  /** True when Yates' continuity correction was applied (df = 1). */
  yates: boolean;
  /** Smallest expected cell count; the chi-square approximation is poor below 5. */
  minExpected: number;
}

/**
 * Pearson's chi-square test of homogeneity on an r×c table of counts (rows = runs, columns =
 * labels). With 1 degree of freedom Yates' correction moves each observed count up to 0.5
 * toward its expected count, exactly as `scipy.stats.chi2_contingency(table)` does by default.
 * Columns or rows that are all zero must be dropped by the caller (their expected count is 0).
 * A table with df = 0 (one label, or one run) gives statistic 0 and p = 1, like scipy.
 */
export function chiSquareContingency(table: ReadonlyArray<ReadonlyArray<number>>): ContingencyResult {
  const rows = table.length;
  const cols = table[0]?.length ?? 0;
  const rowSums = table.map((row) => row.reduce((s, v) => s + v, 0));
  const colSums = Array.from({ length: cols }, (_, j) => table.reduce((s, row) => s + (row[j] as number), 0));
  const total = rowSums.reduce((s, v) => s + v, 0);
  const df = Math.max(0, (rows - 1) * (cols - 1));
  let minExpected = Infinity;
  if (df === 0 || total === 0) return { statistic: 0, df, pValue: 1, yates: false, minExpected: total === 0 ? 0 : minExpected };
  const yates = df === 1;
  let statistic = 0;
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) {
      const expected = ((rowSums[i] as number) * (colSums[j] as number)) / total;
      minExpected = Math.min(minExpected, expected);
      let observed = table[i]![j] as number;
      if (yates) {
        const gap = expected - observed;
        observed += Math.sign(gap) * Math.min(0.5, Math.abs(gap));
      }
      statistic += (observed - expected) ** 2 / expected;
    }
  }
  return { statistic, df, pValue: chiSquareSf(statistic, df), yates, minExpected };
}
