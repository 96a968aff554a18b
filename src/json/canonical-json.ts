/**
 * JSON with object keys sorted at every depth, so two values that differ only in key order
 * serialise the same. Follows `JSON.stringify` otherwise: `undefined` and functions are dropped
 * from objects and become `null` in arrays, non-finite numbers become `null`, and `toJSON` is
 * honoured (its result is sorted in turn, so a `Date` is its ISO string and an object's own
 * `toJSON` decides what is compared). The one definition: example ids, output matching in
 * comparisons, config diffs and the OTLP exporter all key on this string.
 */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value)) ?? 'null';
}

function sortKeys(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  const withJson = value as { toJSON?: () => unknown };
  if (typeof withJson.toJSON === 'function') return sortKeys(withJson.toJSON());
  if (Array.isArray(value)) return value.map(sortKeys);
  const sorted: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort()) sorted[key] = sortKeys((value as Record<string, unknown>)[key]);
  return sorted;
}
