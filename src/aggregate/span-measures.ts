import type { Span } from '../../schemas/span.ts';

/**
 * The numbers one span counts for, named as `metrics.json` names them (`UsageGroup`): the one
 * vocabulary for `metrics.json`, the analysis breakdowns (which must add up to its `byType`)
 * and the public API.
 */
export interface SpanMeasures {
  inputTokens: number;
  outputTokens: number;
  /** `usage.total` when the span reports it, else input + output. */
  totalTokens: number;
  cachedTokens: number;
  /** `cost.total` in US dollars. */
  cost: number;
  /** end − start in milliseconds, never negative. */
  durationMs: number;
  failed: boolean;
}

/** What one span counts for. Missing figures count as 0. */
export function spanMeasures(span: Span): SpanMeasures {
  const u = span.usage;
  const inputTokens = finite(u?.input);
  const outputTokens = finite(u?.output);
  return {
    inputTokens,
    outputTokens,
    totalTokens: u?.total !== undefined ? finite(u.total) : inputTokens + outputTokens,
    cachedTokens: finite(u?.cached),
    cost: finite(span.cost?.total),
    durationMs: Math.max(0, finite(span.end - span.start)),
    failed: span.status === 'error',
  };
}

/** Usage figures are validated non-negative by the schema; this also keeps NaN/∞ out of sums. */
function finite(value: number | undefined): number {
  return value !== undefined && Number.isFinite(value) ? value : 0;
}
