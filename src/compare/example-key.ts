import { createHash } from 'node:crypto';
import type { Trace } from '../../schemas/trace.ts';
import { canonicalJson } from '../json/canonical-json.ts';

/** What a trace is matched on: its example id. */
export function exampleIdKey(trace: Trace): string {
  return trace.exampleId;
}

/** The fallback key: sha256 of the input as canonical JSON (key order does not matter). */
export function inputHashKey(trace: Trace): string {
  return `sha256:${createHash('sha256').update(canonicalJson(trace.input)).digest('hex')}`;
}
