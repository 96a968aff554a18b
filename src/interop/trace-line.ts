import { traceSchema, type Trace } from '../../schemas/trace.ts';
import { quickParseTrace } from '../../schemas/trace-quick-parse.ts';
import { FileFormatError } from '../errors/index.ts';
import { errorMessage } from '../errors/error-message.ts';
import { describeZodIssue } from '../json/zod-issue.ts';
import { checkTraceBounds } from '../store/check-trace-bounds.ts';
import { DEFAULT_MAX_LINE_BYTES } from '../store/jsonl-reader.ts';

/**
 * The trace's line for traces.jsonl, or why it cannot be one. An imported or received trace is
 * built in the schema's shape, so when `quickParseTrace` is sure of it, its own JSON is the line (the
 * same bytes the schema's parse would give) and finishRun's pass over the file is the one
 * validation; otherwise the schema decides and names what is wrong.
 */
export function traceLine(trace: Trace, maxBytes: number = DEFAULT_MAX_LINE_BYTES): { json: string; trace: Trace } | { reason: string } {
  // The quick check walks the value's bounds itself; only a trace it is not sure of is walked
  // again, for the message, and handed to the schema.
  let value: Trace = trace;
  if (!quickParseTrace(trace)) {
    try {
      checkTraceBounds(trace, { file: 'imported trace' });
    } catch (error) {
      if (!(error instanceof FileFormatError)) throw error;
      return { reason: `${error.location.field ?? 'trace'}: ${error.detail}` };
    }
    const parsed = traceSchema.safeParse(trace);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      return { reason: `${issue.path.join('.') || 'trace'}: ${describeZodIssue(issue, trace)}` };
    }
    value = parsed.data;
  }
  let json: string;
  try {
    json = JSON.stringify(value);
  } catch (error) {
    // V8 cannot build a string past ~512 MB.
    return { reason: `${trace.spans.length} spans are too many to write as one line (${errorMessage(error)})` };
  }
  // UTF-8 takes at most 3 bytes per UTF-16 unit: most lines need no count.
  const bytes = json.length * 3 <= maxBytes ? json.length : Buffer.byteLength(json);
  if (bytes > maxBytes) {
    return {
      reason: `${trace.spans.length} spans make a ${Math.round(bytes / 1e6)} MB line, over the ${Math.round(maxBytes / 1e6)} MB a run's traces.jsonl allows for one trace`,
    };
  }
  return { json, trace: value };
}
