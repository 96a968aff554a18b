import type { Span } from '../../schemas/span.ts';
import type { FlatSpan } from '../store/flat-span.ts';
import { spanMeasures } from '../aggregate/span-measures.ts';
import { TopK } from './top-k.ts';

/** A slow span with where it came from; the trace itself is not kept (it may be large). */
export interface SlowSpan {
  run: string;
  traceId: string;
  exampleId: string;
  span: Span;
  depth: number;
  latencyMs: number;
}

/** A pure accumulator of the k slowest spans seen (by end − start); ties keep the earlier span. */
export class SlowestSpans {
  readonly #top: TopK<SlowSpan>;

  constructor(k = 10) {
    this.#top = new TopK(k);
  }

  add(flat: FlatSpan): void {
    const latencyMs = spanMeasures(flat.span).durationMs;
    this.#top.add(latencyMs, {
      run: flat.run,
      traceId: flat.trace.id,
      exampleId: flat.trace.exampleId,
      span: flat.span,
      depth: flat.depth,
      latencyMs,
    });
  }

  /** Slowest first. */
  result(): SlowSpan[] {
    return this.#top.result().map((entry) => entry.item);
  }
}

/** The k slowest spans of a stream, in one pass and O(k) memory. */
export async function slowestSpans(spans: AsyncIterable<FlatSpan> | Iterable<FlatSpan>, k = 10): Promise<SlowSpan[]> {
  const acc = new SlowestSpans(k);
  for await (const flat of spans) acc.add(flat);
  return acc.result();
}
