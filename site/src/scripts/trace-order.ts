/**
 * The traces table's current order (after filters and sort), kept per run in sessionStorage so
 * the trace view's n/p keys walk the traces the user was looking at.
 */
const key = (run: string) => `labbook:order:${run}`;

export function saveTraceOrder(run: string, rows: ArrayLike<number>): void {
  try {
    sessionStorage.setItem(key(run), Array.prototype.join.call(rows, ','));
  } catch {
    // Storage full or disabled: n/p falls back to file order.
  }
}

export function loadTraceOrder(run: string): number[] | null {
  try {
    const text = sessionStorage.getItem(key(run));
    if (text === null) return null;
    return text === '' ? [] : text.split(',').map(Number);
  } catch {
    return null;
  }
}
