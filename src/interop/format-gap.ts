/** A gap in milliseconds as a reader takes it in: `3 ms`, `0.25 ms`, `12.5 s`. */
export function formatGap(ms: number): string {
  return ms >= 1000 ? `${Number((ms / 1000).toPrecision(3))} s` : `${Number(ms.toPrecision(3))} ms`;
}
