import { traceSchema, type Trace } from '../../schemas/trace.ts';
import { FileFormatError } from '../errors/index.ts';
import type { JsonlLine } from './jsonl-reader.ts';
import { parseJsonText, validateJson } from '../json/parse-json.ts';
import { quickParseTrace } from '../../schemas/trace-quick-parse.ts';

/**
 * Parses one line of `traces.jsonl` into a trace, or throws a `FileFormatError` naming the
 * file, the line and the field. The schema also checks the value bounds (`VALUE_LIMITS`), so
 * a trace nested too deep or too large is refused here, by every reader, before any walk of
 * it. Structural checks that need the whole trace (span ids unique, parents that exist) are
 * `checkSpanTree`'s job, since an orphan is a warning, not an error.
 */
export function parseTraceLine(entry: JsonlLine, file: string): Trace {
  if (entry.tooLong) {
    throw new FileFormatError({ file, line: entry.line }, `line is ${entry.tooLong.bytes} bytes, over the limit for one trace`);
  }
  if (entry.invalidUtf8) {
    throw new FileFormatError({ file, line: entry.line }, `invalid UTF-8 at byte ${entry.invalidUtf8.byte + 1} of the line`);
  }
  const source = { file, line: entry.line };
  const value = parseJsonText(entry.text, source);
  // The schema is asked only when the quick check is not sure; it names what is wrong. It checks
  // the value bounds itself: one walk of the value, not two.
  return quickParseTrace(value) ?? validateJson(value, traceSchema, source, { limits: false });
}
