export interface BackoffOptions {
  /** The first delay before jitter, in milliseconds; it doubles after each attempt. */
  baseMs: number;
  /** No delay is longer than this, in milliseconds. */
  maxMs: number;
}

/**
 * The wait before retry number `attempt` (1 = the first retry): exponential, capped, with
 * "equal jitter" — half the delay is fixed and half random. The fixed half keeps writers that
 * just collided from retrying at once; the random half spreads them so they stop colliding.
 * `random` is a number in [0, 1).
 */
export function backoffDelay(attempt: number, random: number, options: BackoffOptions): number {
  const ceiling = Math.min(options.maxMs, options.baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(ceiling / 2 + (ceiling / 2) * random);
}
