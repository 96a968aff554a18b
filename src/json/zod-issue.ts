import type { z } from 'zod';
import { findBoundsViolation } from '../../schemas/value-limits.ts';

/** One zod issue in words a user can act on, with the offending value when it is short. */
export function describeZodIssue(issue: z.core.$ZodIssue, root: unknown): string {
  const value = valueAt(root, issue.path);
  const shown = value === undefined ? '' : ` (got ${preview(value)})`;
  return `${issue.message}${shown}`;
}

function valueAt(root: unknown, path: PropertyKey[]): unknown {
  let value: unknown = root;
  for (const key of path) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}

/** Small enough to serialise for a preview without walking a large or deep value. */
const PREVIEW_LIMITS = { depth: 8, stringLength: 200, arrayLength: 20, objectKeys: 20, values: 200, lineBytes: 0, fileBytes: 0 };

function preview(value: unknown): string {
  if (typeof value === 'string') return clip(JSON.stringify(value.slice(0, 100)));
  // JSON.parse reads 1e400 as Infinity, which JSON.stringify would show as "null".
  if (typeof value === 'number' && !Number.isFinite(value))
    return Number.isNaN(value) ? 'NaN' : `${value}: a number too large for a 64-bit float, as 1e400 is`;
  if (value !== null && typeof value === 'object') {
    // JSON.stringify recurses: a hostile value (deep, huge, or one with a cycle) is named, not shown.
    if (findBoundsViolation(value, PREVIEW_LIMITS)) return Array.isArray(value) ? 'a large array' : 'a large object';
  }
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value);
  }
  return clip(text);
}

function clip(text: string): string {
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
