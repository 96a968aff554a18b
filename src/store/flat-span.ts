import type { Span } from '../../schemas/span.ts';
import type { Trace } from '../../schemas/trace.ts';

/** One span with the trace and run it belongs to, as `RunHandle.spans()` yields it. */
export interface FlatSpan {
  /** The run's id. */
  run: string;
  trace: Trace;
  span: Span;
  /** 0 for a root (or an orphan whose parent is not in the trace), 1 for its children, … */
  depth: number;
}

/**
 * The spans of one trace in file order, each with its depth in the span tree.
 *
 * Edge cases: a span whose parent id names no span of the trace is an orphan and gets depth 0
 * (the site draws it as a root); a parent chain that loops (a file `labbook validate` rejects)
 * gives the looping spans the depth at which the loop was detected instead of hanging.
 */
export function* flattenTrace(run: string, trace: Trace): Generator<FlatSpan> {
  const spans = trace.spans;
  if (spans.length === 0) return;
  const depths = spanDepths(spans);
  for (let i = 0; i < spans.length; i++) yield { run, trace, span: spans[i]!, depth: depths[i]! };
}

/**
 * The depth of each span, by index, in O(n): each walk up a parent chain stops at a span whose
 * depth is known, so no span is visited twice (a 10^6-span chain costs 10^6 steps, not 10^12).
 */
export function spanDepths(spans: readonly Span[]): Int32Array {
  const UNKNOWN = -1;
  const ON_WALK = -2;
  const indexOf = new Map<string, number>();
  for (let i = 0; i < spans.length; i++) if (!indexOf.has(spans[i]!.id)) indexOf.set(spans[i]!.id, i);
  const depth = new Int32Array(spans.length).fill(UNKNOWN);
  const chain: number[] = [];
  for (let i = 0; i < spans.length; i++) {
    if (depth[i] !== UNKNOWN) continue;
    chain.length = 0;
    let current: number | undefined = i;
    let base = 0;
    // Walk up until a root, an orphan, a span of known depth, or a loop (a span on this walk).
    while (current !== undefined && depth[current] !== ON_WALK) {
      if (depth[current] !== UNKNOWN) {
        base = depth[current]! + 1;
        break;
      }
      depth[current] = ON_WALK;
      chain.push(current);
      const parent: string | null = spans[current]!.parentId;
      current = parent === null ? undefined : indexOf.get(parent);
    }
    for (let k = chain.length - 1; k >= 0; k--) depth[chain[k]!] = base + (chain.length - 1 - k);
  }
  return depth;
}
