/** A rate as a percentage with one decimal, as every table and report writes pass rates: 0.7234 → "72.3%"; null → "—". */
export function formatPercent(value: number | null): string {
  return value === null ? '—' : `${(value * 100).toFixed(1)}%`;
}
