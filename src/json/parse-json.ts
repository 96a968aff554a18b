import type { z } from 'zod';
import { findBoundsViolation, formatFieldPath, VALUE_LIMITS, type ValueLimits } from '../../schemas/value-limits.ts';
import { FileFormatError } from '../errors/file-format-error.ts';
import { jsonSyntaxError } from './json-syntax-error.ts';
import { describeZodIssue } from './zod-issue.ts';

/** Where a JSON text came from, for errors: the file, and the line it starts on (JSON Lines). */
interface JsonSource {
  file: string;
  line?: number;
}

interface ParseJsonOptions {
  /**
   * Bounds checked before the schema sees the value (default `VALUE_LIMITS`); `false` when the
   * schema checks them itself (the trace schema does), so a hot path walks the value once.
   */
  limits?: ValueLimits | false;
}

/**
 * Text → value, or a `FileFormatError` at the line and column where the JSON broke. For text
 * whose shape is checked elsewhere (or not at all); untrusted JSON with a known shape goes
 * through `parseJson`.
 */
export function parseJsonText(text: string, source: JsonSource): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw jsonSyntaxError(source.file, text, error, source.line);
  }
}

/**
 * The one path for untrusted JSON (in the manner of vercel/ai's `parseJSON`): parse, check the
 * value bounds, then validate against the schema. Each failure is a `FileFormatError` naming the
 * file, the line (and column) or the field, in words a user can act on.
 */
export function parseJson<T>(text: string, schema: z.ZodType<T>, source: JsonSource, options: ParseJsonOptions = {}): T {
  return validateJson(parseJsonText(text, source), schema, source, options);
}

/** The second half of `parseJson`, for a value already parsed (a JSON Lines record, a request body). */
export function validateJson<T>(value: unknown, schema: z.ZodType<T>, source: JsonSource, options: ParseJsonOptions = {}): T {
  const at = source.line !== undefined ? { file: source.file, line: source.line } : { file: source.file };
  const limits = options.limits ?? VALUE_LIMITS;
  if (limits !== false) {
    const violation = findBoundsViolation(value, limits);
    if (violation) throw new FileFormatError({ ...at, field: formatFieldPath(violation.path) || undefined }, violation.message);
  }
  const result = schema.safeParse(value);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    throw new FileFormatError({ ...at, field: issue.path.join('.') || undefined }, describeZodIssue(issue, value));
  }
  return result.data;
}
