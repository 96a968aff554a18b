import { GrowableFloat64Array } from '../stats/growable-array.ts';
import type { FlatSpan } from '../store/flat-span.ts';
import { summarizeSample, type SampleSummary } from './sample-summary.ts';
import { spanKey, type BreakdownKey, type SpanKey } from './span-keys.ts';
import { addToTotals, emptyTotals, spanMeasures, type SpanTotals } from '../aggregate/span-measures.ts';

/** Tokens, latency, cost and call counts of one group of spans. */
export interface BreakdownRow extends SpanTotals {
  key: string;
  /** Span durations in milliseconds: `sum` is the time spent in the group. */
  latencyMs: SampleSummary;
}

/** What `--metric` picks out of a row, and what rows are sorted by. */
export const BREAKDOWN_METRICS = ['tokens', 'latency', 'cost', 'calls'] as const;
export type BreakdownMetric = (typeof BREAKDOWN_METRICS)[number];

/** The headline figure of a row for a metric: total tokens, total time, total cost, or calls. */
export function breakdownValue(row: BreakdownRow, metric: BreakdownMetric): number {
  switch (metric) {
    case 'tokens':
      return row.totalTokens;
    case 'latency':
      return row.latencyMs.sum;
    case 'cost':
      return row.cost;
    case 'calls':
      return row.calls;
  }
}

interface Group extends SpanTotals {
  latency: GrowableFloat64Array;
}

/**
 * A pure accumulator: feed it spans one at a time (`add`), read rows at any point (`rows`).
 * It keeps sums and one 8-byte duration per span (for the percentiles), never the spans.
 */
export class Breakdown {
  readonly #key: SpanKey;
  readonly #groups = new Map<string, Group>();

  constructor(by: BreakdownKey | SpanKey) {
    this.#key = spanKey(by, 'Breakdown');
  }

  add(flat: FlatSpan): void {
    const key = this.#key(flat);
    if (key === undefined) return;
    let group = this.#groups.get(key);
    if (group === undefined) {
      group = { ...emptyTotals(), latency: new GrowableFloat64Array(64) };
      this.#groups.set(key, group);
    }
    const m = spanMeasures(flat.span);
    addToTotals(group, m);
    group.latency.push(m.durationMs);
  }

  /** One row per group, sorted by key. */
  rows(): BreakdownRow[] {
    return [...this.#groups.keys()].sort().map((key) => {
      const { latency, ...totals } = this.#groups.get(key)!;
      return { key, ...totals, latencyMs: summarizeSample(latency.view()) };
    });
  }
}

/**
 * Tokens, latency, cost and call counts of a stream of spans, grouped by span type, model, tool
 * or span name (or any key function). Reads the stream once; memory grows with the number of
 * spans by 8 bytes each, not with their size.
 */
export async function breakdown(spans: AsyncIterable<FlatSpan> | Iterable<FlatSpan>, by: BreakdownKey | SpanKey): Promise<BreakdownRow[]> {
  const acc = new Breakdown(by);
  for await (const flat of spans) acc.add(flat);
  return acc.rows();
}
