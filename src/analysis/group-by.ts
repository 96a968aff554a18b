import { GrowableFloat64Array } from '../stats/growable-array.ts';
import type { FlatSpan } from '../store/flat-span.ts';
import { summarizeSample, type SampleSummary } from './sample-summary.ts';
import { spanKey, type BreakdownKey, type SpanKey } from './span-keys.ts';
import { UsageError } from '../errors/index.ts';
import { spanMeasures } from '../aggregate/span-measures.ts';

/** A number taken from a span; `undefined` leaves the span out (it is not counted either). */
export type SpanMetric = (flat: FlatSpan) => number | undefined;

/** Named metrics for `groupBy`, each a figure of one span. */
export const SPAN_METRICS = {
  tokens: (flat) => spanMeasures(flat.span).totalTokens,
  'input-tokens': (flat) => spanMeasures(flat.span).inputTokens,
  'output-tokens': (flat) => spanMeasures(flat.span).outputTokens,
  cost: (flat) => spanMeasures(flat.span).cost,
  latency: (flat) => spanMeasures(flat.span).durationMs,
  calls: () => 1,
  errors: (flat) => (flat.span.status === 'error' ? 1 : 0),
} satisfies Record<string, SpanMetric>;
export type SpanMetricName = keyof typeof SPAN_METRICS;

export interface GroupStats extends SampleSummary {
  key: string;
}

/**
 * The pure accumulator behind `groupBy`: `add` spans one at a time, read `result()` whenever.
 * A metric that returns NaN or ±∞ for a span leaves that span out, like `undefined`, so one bad
 * attribute cannot turn a group's sum into NaN.
 */
export class GroupAccumulator {
  readonly #key: SpanKey;
  readonly #metric: SpanMetric;
  readonly #values = new Map<string, GrowableFloat64Array>();

  constructor(key: BreakdownKey | SpanKey, metric: SpanMetricName | SpanMetric) {
    this.#key = spanKey(key, 'GroupAccumulator');
    if (typeof metric !== 'function' && !Object.hasOwn(SPAN_METRICS, metric)) {
      throw new UsageError(
        `GroupAccumulator: unknown metric ${JSON.stringify(metric)}; expected a function or one of ${Object.keys(SPAN_METRICS).join(', ')}`,
      );
    }
    this.#metric = typeof metric === 'function' ? metric : SPAN_METRICS[metric];
  }

  add(flat: FlatSpan): void {
    const key = this.#key(flat);
    if (key === undefined) return;
    const value = this.#metric(flat);
    if (value === undefined || !Number.isFinite(value)) return;
    let values = this.#values.get(key);
    if (values === undefined) {
      values = new GrowableFloat64Array(64);
      this.#values.set(key, values);
    }
    values.push(value);
  }

  /** One entry per group, sorted by key. */
  result(): GroupStats[] {
    return [...this.#values.keys()].sort().map((key) => ({ key, ...summarizeSample(this.#values.get(key)!.view()) }));
  }
}

/**
 * Custom aggregation: groups a stream of spans by any key and summarises any number per group
 * (count, sum, mean, min, p50, p95, max). For example the mean latency of LLM calls per model:
 *
 *     groupBy(run.spans(), (s) => (s.span.type === 'LLM' ? s.span.model : undefined), 'latency')
 *
 * or tokens per agent step, keyed by the name of each span's trace's root span.
 */
export async function groupBy(
  spans: AsyncIterable<FlatSpan> | Iterable<FlatSpan>,
  key: BreakdownKey | SpanKey,
  metric: SpanMetricName | SpanMetric,
): Promise<GroupStats[]> {
  const acc = new GroupAccumulator(key, metric);
  for await (const flat of spans) acc.add(flat);
  return acc.result();
}
