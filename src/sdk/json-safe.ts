/**
 * A copy of a value that `JSON.stringify` accepts: cycles become `"[Circular]"`, bigints become
 * strings, Maps and Sets become objects and arrays. Used only when a trace fails to serialise,
 * so the common path pays nothing; a value reached twice without a cycle is copied twice.
 */
export function toJsonSafe(value: unknown): unknown {
  return copy(value, new Set());
}

function copy(value: unknown, ancestors: Set<object>): unknown {
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'function' || typeof value === 'symbol') return undefined;
  if (value === null || typeof value !== 'object') return value;
  if (ancestors.has(value)) return '[Circular]';
  const withJson = value as { toJSON?: () => unknown };
  if (typeof withJson.toJSON === 'function') {
    try {
      return copy(withJson.toJSON(), ancestors);
    } catch {
      return String(value);
    }
  }
  ancestors.add(value);
  try {
    if (Array.isArray(value)) return value.map((item) => copy(item, ancestors) ?? null);
    if (value instanceof Map) return copy(Object.fromEntries(value), ancestors);
    if (value instanceof Set) return copy([...value], ancestors);
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      const safe = copy(item, ancestors);
      if (safe !== undefined) out[key] = safe;
    }
    return out;
  } finally {
    ancestors.delete(value);
  }
}
