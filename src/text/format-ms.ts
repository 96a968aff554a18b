/**
 * Milliseconds as `840 ms`, `1.24 s` or `2m 05s`, and '—' for a missing value. One owner for
 * durations, so a span reads the same in `labbook show` as on the site (which re-exports it from
 * site/view/format.ts for its pages and browser scripts); pure, with no Node import.
 */
export function formatMs(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return '—';
  // Below 10 ms a rounded figure would read "0 ms" for a span that took 0.4 ms.
  if (ms !== 0 && Math.abs(ms) < 1) return `${Number(ms.toPrecision(2))} ms`;
  if (Math.abs(ms) < 9.95 && !Number.isInteger(ms)) return `${ms.toFixed(1)} ms`;
  if (Math.abs(ms) < 1000) return `${Math.round(ms)} ms`;
  if (Math.abs(ms) < 60_000) return `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
  const minutes = Math.floor(ms / 60_000);
  const seconds = Math.round((ms - minutes * 60_000) / 1000);
  return `${minutes}m ${String(seconds).padStart(2, '0')}s`;
}
