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
  return measureSpan(span, noMeasures());
}

/** A span's measures before it is measured: all 0. */
export function noMeasures(): SpanMeasures {
  return { inputTokens: 0, outputTokens: 0, totalTokens: 0, cachedTokens: 0, cost: 0, durationMs: 0, failed: false };
}

/**
 * `spanMeasures` written into `into` and returned: the aggregator measures every span of
 * every trace a run writes or reads into one object of its own rather than a new one each.
 */
export function measureSpan(span: Span, into: SpanMeasures): SpanMeasures {
  const u = span.usage;
  const inputTokens = finite(u?.input);
  const outputTokens = finite(u?.output);
  into.inputTokens = inputTokens;
  into.outputTokens = outputTokens;
  into.totalTokens = u?.total !== undefined ? finite(u.total) : inputTokens + outputTokens;
  into.cachedTokens = finite(u?.cached);
  into.cost = finite(span.cost?.total);
  into.durationMs = Math.max(0, finite(span.end - span.start));
  into.failed = span.status === 'error';
  return into;
}

/**
 * A trace's tokens and cost summed over its spans as `spanMeasures` counts them, each null when
 * no span reports it: "not reported" must not read as "free".
 */
export interface TraceUsage {
  inputTokens: number | null;
  outputTokens: number | null;
  totalTokens: number | null;
  cost: number | null;
}

export function traceUsage(spans: readonly Span[]): TraceUsage {
  let input = 0;
  let output = 0;
  let total = 0;
  let cost = 0;
  let hasUsage = false;
  let hasCost = false;
  for (const span of spans) {
    const u = span.usage;
    if (u !== undefined) {
      hasUsage = true;
      const i = finite(u.input);
      const o = finite(u.output);
      input += i;
      output += o;
      total += u.total !== undefined ? finite(u.total) : i + o;
    }
    if (span.cost !== undefined) {
      hasCost = true;
      cost += finite(span.cost.total);
    }
  }
  return {
    inputTokens: hasUsage ? input : null,
    outputTokens: hasUsage ? output : null,
    totalTokens: hasUsage ? total : null,
    cost: hasCost ? cost : null,
  };
}

/**
 * What a group of spans sums, the same way for `metrics.json`'s groups and the breakdowns (so
 * the breakdowns add up to `byType`). Keys in the order both write them.
 */
export interface SpanTotals {
  calls: number;
  /** Spans with status `error`. */
  errors: number;
  inputTokens: number;
  outputTokens: number;
  totalTokens: number;
  cachedTokens: number;
  /** US dollars. */
  cost: number;
}

export function emptyTotals(): SpanTotals {
  return { calls: 0, errors: 0, inputTokens: 0, outputTokens: 0, totalTokens: 0, cachedTokens: 0, cost: 0 };
}

/** Counts one span, by what it measures, into a group's totals. */
export function addToTotals(totals: SpanTotals, measures: SpanMeasures): void {
  totals.calls++;
  if (measures.failed) totals.errors++;
  totals.inputTokens += measures.inputTokens;
  totals.outputTokens += measures.outputTokens;
  totals.totalTokens += measures.totalTokens;
  totals.cachedTokens += measures.cachedTokens;
  totals.cost += measures.cost;
}

/** Usage figures are validated non-negative by the schema; this also keeps NaN/∞ out of sums. */
function finite(value: number | undefined): number {
  return value !== undefined && Number.isFinite(value) ? value : 0;
}
