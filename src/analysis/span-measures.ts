import type { Span } from '../../schemas/span.ts';
import { spanUsage } from '../aggregate/span-usage.ts';

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
 * The definitions `metrics.json` uses (`spanUsage`), renamed for breakdowns, so a breakdown by span
 * type adds up to the run's `byType`. Missing figures count as 0 and NaN/∞ never reach a sum.
 */
export function spanMeasures(span: Span): SpanMeasures {
  const usage = spanUsage(span);
  return {
    inputTokens: usage.input,
    outputTokens: usage.output,
    totalTokens: usage.total,
    cachedTokens: usage.cached,
    cost: usage.cost,
    latencyMs: usage.durationMs,
    failed: usage.failed,
  };
}
