import { findBoundsViolation } from '../../schemas/value-limits.ts';
import { createHash } from 'node:crypto';
import { canonicalJson } from './canonical-json.ts';
import { toJsonSafe } from './json-safe.ts';

/**
 * The example id used when the dataset gives none: `ex-` and the first 16 hex digits of the
 * sha256 of the input's canonical JSON. Stable across runs, machines and key order, so runs
 * over the same inputs pair up for comparison.
 */
export function exampleIdFromInput(input: unknown): string {
  // sortKeys recurses: an input past the bounds (or with a cycle) is hashed as the copy the
  // trace will record, cut at the depth limit, so the id stays stable and nothing overflows.
  const hashed = findBoundsViolation(input) ? toJsonSafe(input) : input;
  let json: string;
  try {
    json = canonicalJson(hashed);
  } catch (error) {
    // A BigInt JSON cannot write: hashed, like the rest, as the copy the trace records (its digits).
    if (!(error instanceof TypeError)) throw error;
    json = canonicalJson(toJsonSafe(input));
  }
  return `ex-${createHash('sha256').update(json).digest('hex').slice(0, 16)}`;
}
