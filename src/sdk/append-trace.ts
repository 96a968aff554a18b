import type { Trace, TraceInput } from '../../schemas/trace.ts';
import { HIDDEN_CHARACTERS_MESSAGE, isVisibleId } from '../../schemas/hidden-characters.ts';
import { FileFormatError, UsageError } from '../errors/index.ts';
import type { TraceWriter } from '../store/run-writer.ts';
import { toJsonSafe } from '../json/json-safe.ts';
import { clip } from './text.ts';
import { VALUE_LIMITS } from '../../schemas/value-limits.ts';

const FIELD_DEPTH = VALUE_LIMITS.depth - 1;

/**
 * Appends a trace so that it is never lost: a value JSON cannot write (a cycle, a bigint) is
 * made safe and written again; a trace the schema refuses (a bad field, or a value past
 * `VALUE_LIMITS`) is written as an error trace that keeps its id, example, input (cut at the
 * depth limit) and timing and says what was wrong. Only an id with hidden characters (a
 * `UsageError`), a closed writer or a failing disk throws.
 */
export function appendTrace(writer: TraceWriter, trace: TraceInput): Trace {
  // An id the readers and annotations refuse cannot be kept even on an error trace: refuse it.
  if (typeof trace.id === 'string' && !isVisibleId(trace.id)) {
    throw new UsageError(
      `trace id ${JSON.stringify(trace.id)} ${HIDDEN_CHARACTERS_MESSAGE} (TAB, CR, line breaks and the like): such an id could never be annotated`,
    );
  }
  let problem: FileFormatError;
  try {
    return writer.append(trace);
  } catch (error) {
    if (!(error instanceof FileFormatError) && !(error instanceof TypeError)) throw error;
    // A cycle looks like endless depth to the bounds check and is a TypeError to JSON; the safe
    // copy mends it. A value truly past the depth limit is not mended in silence: it is reported.
    const cut = { cut: false };
    const safe = toJsonSafe(trace, VALUE_LIMITS.depth, cut) as TraceInput;
    problem = error instanceof FileFormatError ? error : new FileFormatError({ file: writer.file }, error.message);
    if (!cut.cut) {
      try {
        return writer.append(safe);
      } catch (second) {
        if (!(second instanceof FileFormatError)) throw second;
        problem = second;
      }
    }
  }
  return writer.append({
    id: trace.id,
    exampleId: trace.exampleId,
    // Kept a few levels shallower than the bounds: the trace itself is the first level.
    input: toJsonSafe(trace.input, FIELD_DEPTH),
    expected: toJsonSafe(trace.expected, FIELD_DEPTH),
    status: 'error',
    error: clip(`the trace could not be recorded as given (${problem.message}); its spans, output and scores were dropped`, 100_000),
    start: trace.start,
    end: trace.end,
    durationMs: trace.durationMs,
    tags: [],
  });
}
