import type { TraceInput } from '../../schemas/trace.ts';
import { VALUE_LIMITS } from '../../schemas/value-limits.ts';
import { makeTrace } from '../helpers/make-trace.ts';

/**
 * Hostile trace lines for the readers: deep and wide values at Labbook's limits (which every
 * reader must take) and just past them (which every reader must refuse, naming file, line and
 * field), in every field of a trace that a reader walks.
 */

/** `levels` nested objects `{ "k": { "k": … "leaf" } }`: the outermost counts as one level. */
export function nested(levels: number): unknown {
  let value: unknown = 'leaf';
  for (let i = 0; i < levels; i++) value = { k: value };
  return value;
}

/** The same as JSON text, built without recursion (JSON.stringify overflows near 5,000 levels). */
export function nestedJson(levels: number): string {
  return `${'{"k":'.repeat(levels)}"leaf"${'}'.repeat(levels)}`;
}

/**
 * Where a deep value can sit in a trace, as the path to its slot. The containers enclosing the
 * slot (the trace itself included) are `path.length`, so a value of `depth - path.length`
 * levels there reaches exactly `VALUE_LIMITS.depth`.
 */
export const DEEP_SLOTS: Record<string, Array<string | number>> = {
  input: ['input'],
  output: ['output'],
  expected: ['expected'],
  metadata: ['metadata', 'x'],
  'span inputs': ['spans', 0, 'inputs'],
  'span outputs': ['spans', 0, 'outputs'],
  'span attributes': ['spans', 0, 'attributes', 'x'],
  'span event attributes': ['spans', 0, 'events', 0, 'attributes', 'x'],
};

/** A valid trace with a value in `slot` that makes the line exactly `depth` levels deep. */
export function traceDeepAt(index: number, slot: keyof typeof DEEP_SLOTS, depth: number): TraceInput {
  const trace = makeTrace(index) as Record<string, unknown>;
  const path = DEEP_SLOTS[slot]!;
  const spans = trace.spans as Array<Record<string, unknown>>;
  spans[0]!.events = [{ name: 'e', time: 1_700_000_000_000 }];
  let holder: Record<string | number, unknown> = trace as Record<string | number, unknown>;
  for (const key of path.slice(0, -1)) {
    holder[key] ??= {};
    holder = holder[key] as Record<string | number, unknown>;
  }
  holder[path.at(-1)!] = nested(depth - path.length);
  return trace as TraceInput;
}

/** Wide values, at the limit and one past it, in `input`. */
export const WIDE = {
  array: (n: number) => Array.from({ length: n }, () => 0),
  object: (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`k${i}`, 0])),
  string: (n: number) => 'x'.repeat(n),
};

export const LIMITS = VALUE_LIMITS;
