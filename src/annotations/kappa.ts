/** An agreement coefficient with the two proportions it compares. */
export interface Kappa {
  /** null when undefined: no items, or chance agreement is already 1 (one category used by everyone). */
  kappa: number | null;
  /** Observed agreement: p_o (Cohen) or P̄ (Fleiss). */
  observed: number | null;
  /** Agreement expected by chance: p_e (Cohen) or P̄_e (Fleiss). */
  expected: number | null;
  items: number;
}

/**
 * Cohen's kappa for two raters who both rated every item: κ = (p_o − p_e) / (1 − p_e), with
 * p_o the share of items they agree on and p_e = Σ_k p_1k · p_2k from each rater's own share of
 * each category (Cohen 1960). `pairs[i]` is the two raters' categories for item i, always in
 * the same rater order.
 */
export function cohenKappa(pairs: ReadonlyArray<readonly [string, string]>): Kappa {
  const n = pairs.length;
  if (n === 0) return { kappa: null, observed: null, expected: null, items: 0 };
  const first = new Map<string, number>();
  const second = new Map<string, number>();
  let agree = 0;
  for (const [a, b] of pairs) {
    if (a === b) agree++;
    first.set(a, (first.get(a) ?? 0) + 1);
    second.set(b, (second.get(b) ?? 0) + 1);
  }
  const observed = agree / n;
  let expected = 0;
  for (const [category, count] of first) expected += (count / n) * ((second.get(category) ?? 0) / n);
  return { kappa: ratio(observed, expected), observed, expected, items: n };
}

/**
 * Fleiss' kappa from a table of counts: `table[i][j]` raters put item i in category j (Fleiss
 * 1971). P_i = Σ_j n_ij(n_ij − 1) / (n_i(n_i − 1)), P̄ = mean P_i, p_j = Σ_i n_ij / Σ_i n_i,
 * P̄_e = Σ_j p_j², κ = (P̄ − P̄_e) / (1 − P̄_e). With the same number of raters per item this is
 * Fleiss' statistic exactly; when annotators cover different traces, n_i varies and each
 * item's P_i uses its own n_i (items with fewer than two ratings carry no agreement and are
 * skipped) — the usual generalisation, which reduces to Fleiss' when n_i is constant.
 */
export function fleissKappa(table: ReadonlyArray<ReadonlyArray<number>>): Kappa {
  const rows = table.filter((row) => sum(row) >= 2);
  if (rows.length === 0) return { kappa: null, observed: null, expected: null, items: 0 };
  const categories = rows.reduce((most, row) => Math.max(most, row.length), 0);
  const totals = new Array<number>(categories).fill(0);
  let ratings = 0;
  let agreement = 0;
  for (const row of rows) {
    const n = sum(row);
    let pairs = 0;
    row.forEach((count, j) => {
      pairs += count * (count - 1);
      totals[j]! += count;
    });
    agreement += pairs / (n * (n - 1));
    ratings += n;
  }
  const observed = agreement / rows.length;
  const expected = totals.reduce((acc, total) => acc + (total / ratings) ** 2, 0);
  return { kappa: ratio(observed, expected), observed, expected, items: rows.length };
}

/** Turns each item's list of assigned categories into Fleiss' count table. */
export function countTable(items: ReadonlyArray<ReadonlyArray<string>>): number[][] {
  const categories = [...new Set(items.flat())].sort();
  const column = new Map(categories.map((c, j) => [c, j]));
  return items.map((ratings) => {
    const row = new Array<number>(categories.length).fill(0);
    for (const r of ratings) row[column.get(r)!]!++;
    return row;
  });
}

function ratio(observed: number, expected: number): number | null {
  return 1 - expected < 1e-12 ? null : (observed - expected) / (1 - expected);
}

function sum(values: ReadonlyArray<number>): number {
  return values.reduce((a, b) => a + b, 0);
}
