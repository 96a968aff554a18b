import type { Span } from '../../schemas/span.ts';

/** The numbers of one span that breakdowns add up. */
export interface SpanMeasures {
  inputTokens: number;
  outputTokens: number;
  /** `usage.total` when the span reports it, else input + output. */
  totalTokens: number;
  cachedTokens: number;
  /** `cost.total` in US dollars. */
  cost: number;
  /** end − start in milliseconds, never negative. */
  latencyMs: number;
  failed: boolean;
}

/**
 * The same definitions `metrics.json` uses (see `createAggregator`), so a breakdown by span
 * type adds up to the run's `byType`. Missing figures count as 0 and NaN/∞ never reach a sum.
 */
export function spanMeasures(span: Span): SpanMeasures {
  const usage = span.usage;
  const inputTokens = finite(usage?.input);
  const outputTokens = finite(usage?.output);
  return {
    inputTokens,
    outputTokens,
    totalTokens: usage?.total !== undefined ? finite(usage.total) : inputTokens + outputTokens,
    cachedTokens: finite(usage?.cached),
    cost: finite(span.cost?.total),
    latencyMs: Math.max(0, finite(span.end - span.start)),
    failed: span.status === 'error',
  };
}

function finite(value: number | undefined): number {
  return value !== undefined && Number.isFinite(value) ? value : 0;
}
