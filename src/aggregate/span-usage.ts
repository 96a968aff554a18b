import type { Span } from '../../schemas/span.ts';
import type { SpanUsage } from './usage-groups.ts';

/**
 * What one span counts for in `metrics.json` (and in every breakdown that must add up to it):
 * tokens (`usage.total` when reported, else input + output), cached tokens, cost, duration and
 * failure. Missing figures count as 0.
 */
export function spanUsage(span: Span): SpanUsage {
  const u = span.usage;
  const input = finite(u?.input);
  const output = finite(u?.output);
  return {
    input,
    output,
    total: u?.total !== undefined ? finite(u.total) : input + output,
    cached: finite(u?.cached),
    cost: finite(span.cost?.total),
    durationMs: Math.max(0, finite(span.end - span.start)),
    failed: span.status === 'error',
  };
}

/** Usage figures are validated non-negative by the schema; this also keeps NaN/∞ out of sums. */
function finite(value: number | undefined): number {
  return value !== undefined && Number.isFinite(value) ? value : 0;
}
