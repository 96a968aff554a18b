import { VALUE_LIMITS } from '../../schemas/value-limits.ts';

/** What stands in for a value nested deeper than a copy keeps. */
const TOO_DEEP_PLACEHOLDER = `[nested deeper than Labbook records]`;

/**
 * A copy of a value that `JSON.stringify` accepts and Labbook's bounds allow: cycles become
 * `"[Circular]"`, bigints become strings, Maps and Sets become objects and arrays, and anything
 * nested deeper than `maxDepth` (the value itself counting as 1) becomes a placeholder string,
 * so the recursion here never goes past `maxDepth` frames; `seen.cut` then says so (`placeholder`
 * replaces the default text where a trace says which limit it was). Used only when a trace fails to
 * serialise or to validate, so the common path pays nothing; a value reached twice without a
 * cycle is copied twice.
 */
export function toJsonSafe(
  value: unknown,
  maxDepth: number = VALUE_LIMITS.depth,
  seen: { cut: boolean } = { cut: false },
  placeholder: string = TOO_DEEP_PLACEHOLDER,
): unknown {
  return copy(value, new Set(), 1, maxDepth, { cut: seen, placeholder });
}

interface CutState {
  cut: { cut: boolean };
  placeholder: string;
}

function copy(value: unknown, ancestors: Set<object>, depth: number, maxDepth: number, seen: CutState): unknown {
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'function' || typeof value === 'symbol') return undefined;
  if (value === null || typeof value !== 'object') return value;
  if (ancestors.has(value)) return '[Circular]';
  const withJson = value as { toJSON?: () => unknown };
  if (typeof withJson.toJSON === 'function') {
    try {
      return copy(withJson.toJSON(), ancestors, depth, maxDepth, seen);
    } catch {
      return String(value);
    }
  }
  if (depth > maxDepth) {
    seen.cut.cut = true;
    return seen.placeholder;
  }
  ancestors.add(value);
  try {
    if (Array.isArray(value)) return value.map((item) => copy(item, ancestors, depth + 1, maxDepth, seen) ?? null);
    if (value instanceof Map) return copy(Object.fromEntries(value), ancestors, depth, maxDepth, seen);
    if (value instanceof Set) return copy([...value], ancestors, depth, maxDepth, seen);
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      const safe = copy(item, ancestors, depth + 1, maxDepth, seen);
      if (safe !== undefined) out[key] = safe;
    }
    return out;
  } finally {
    ancestors.delete(value);
  }
}
