import { findBoundsViolation } from '../../schemas/value-limits.ts';
import { sha256Hex } from '../store/digest.ts';
import { toJsonSafe } from './json-safe.ts';

/**
 * JSON with object keys sorted at every depth, so two inputs that differ only in key order
 * serialise the same. Follows `JSON.stringify` otherwise: `undefined` and functions are dropped
 * from objects and become `null` in arrays, `toJSON` is honoured, non-finite numbers become `null`.
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

/**
 * The example id used when the dataset gives none: `ex-` and the first 16 hex digits of the
 * sha256 of the input's canonical JSON. Stable across runs, machines and key order, so runs
 * over the same inputs pair up for comparison.
 */
export function exampleIdFromInput(input: unknown): string {
  // sortKeys recurses: an input past the bounds (or with a cycle) is hashed as the copy the
  // trace will record, cut at the depth limit, so the id stays stable and nothing overflows.
  const hashed = findBoundsViolation(input) ? toJsonSafe(input) : input;
  return `ex-${sha256Hex(canonicalJson(hashed)).slice(0, 16)}`;
}
