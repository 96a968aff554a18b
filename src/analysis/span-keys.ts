import { spanToolName } from '../aggregate/tool-name.ts';
import type { FlatSpan } from '../store/flat-span.ts';
import { UsageError } from '../errors/index.ts';

/** Puts a span in a group; `undefined` leaves the span out of the breakdown. */
export type SpanKey = (flat: FlatSpan) => string | undefined;

/** The ready-made groupings of `labbook query --by`. */
export const BREAKDOWN_KEYS = ['span-type', 'model', 'tool', 'name'] as const;
export type BreakdownKey = (typeof BREAKDOWN_KEYS)[number];

/** The name a TOOL span is counted under, as in `metrics.json` (see `spanToolName`). */
export function toolName(flat: FlatSpan): string {
  return spanToolName(flat.span);
}

/**
 * Key functions with the same rules as `metrics.json`: every span has a type; only spans that
 * name a model are grouped by model; only TOOL spans are grouped by tool.
 */
export const SPAN_KEYS: Record<BreakdownKey, SpanKey> = {
  'span-type': (flat) => flat.span.type,
  model: (flat) => flat.span.model,
  tool: (flat) => (flat.span.type === 'TOOL' ? toolName(flat) : undefined),
  name: (flat) => flat.span.name,
};

/** The key function for `by`; a name that is not one of BREAKDOWN_KEYS is a UsageError naming `where`. */
export function spanKey(by: BreakdownKey | SpanKey, where: string): SpanKey {
  if (typeof by === 'function') return by;
  if (typeof by === 'string' && Object.hasOwn(SPAN_KEYS, by)) return SPAN_KEYS[by];
  throw new UsageError(`${where}: unknown grouping ${JSON.stringify(by)}; expected a function or one of ${BREAKDOWN_KEYS.join(', ')}`);
}
