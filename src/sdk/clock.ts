import { performance } from 'node:perf_hooks';

const origin = performance.timeOrigin;

/**
 * Epoch milliseconds with sub-millisecond precision. `performance.now()` is monotonic within the
 * process, so a span's end never precedes its start even if the wall clock is adjusted.
 */
export function nowMs(): number {
  return origin + performance.now();
}
