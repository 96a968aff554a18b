/**
 * Holm's step-down adjustment of p-values for a family of tests: sort ascending, multiply the
 * i-th smallest (0-based) by m − i, carry the running maximum so the order is kept, cap at 1.
 * It controls the family-wise error rate with no assumption about dependence between tests,
 * and is uniformly more powerful than Bonferroni. Same values as statsmodels'
 * `multipletests(method='holm')` and R's `p.adjust(method='holm')`.
 * Null entries (tests not run) are skipped and stay null; they do not count in m.
 */
export function holmAdjust(pValues: ReadonlyArray<number | null>): Array<number | null> {
  const order = pValues
    .map((p, i) => ({ p, i }))
    .filter((e): e is { p: number; i: number } => e.p !== null && !Number.isNaN(e.p))
    .sort((a, b) => a.p - b.p || a.i - b.i);
  const m = order.length;
  const adjusted: Array<number | null> = pValues.map(() => null);
  let running = 0;
  order.forEach(({ p, i }, rank) => {
    running = Math.max(running, Math.min(1, (m - rank) * p));
    adjusted[i] = running;
  });
  return adjusted;
}
