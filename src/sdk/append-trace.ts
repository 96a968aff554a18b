import type { Trace, TraceInput } from '../../schemas/trace.ts';
import { HIDDEN_CHARACTERS_MESSAGE, isVisibleId } from '../../schemas/hidden-characters.ts';
import { FileFormatError, UsageError } from '../errors/index.ts';
import type { TraceWriter } from '../store/trace-writer.ts';
import { toJsonSafe } from '../json/json-safe.ts';
import { clip } from './text.ts';
import { findBoundsViolation, VALUE_LIMITS } from '../../schemas/value-limits.ts';
import { replaceValuesPastBounds } from './replace-past-bounds.ts';

const FIELD_DEPTH = VALUE_LIMITS.depth - 1;

/**
 * Appends a trace so that it is never lost: a value JSON cannot write (a cycle, a bigint) is
 * made safe and written again; a value past `VALUE_LIMITS` is replaced where it is by what it
 * was (see replace-past-bounds.ts) and the trace, spans and scores included, is written as an
 * error trace saying so; a trace the schema refuses for another reason (a bad field) is written
 * as an error trace that keeps its id, example, input (cut at the depth limit) and timing and
 * says what was wrong. Only an id with hidden characters (a `UsageError`), a closed writer or a
 * failing disk throws.
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
  // A value past a bound (an output of 20 Mi characters, span inputs nested 200 deep, a line
  // over 64 MiB) is replaced where it is, and the trace keeps its spans, scores and the rest.
  let mended: TraceInput | undefined;
  try {
    mended = replaceValuesPastBounds(trace);
  } catch (error) {
    if (!(error instanceof TypeError)) throw error; // a converted trace's field JSON cannot write
  }
  if (mended) {
    try {
      return writer.append(mended);
    } catch (refused) {
      if (!(refused instanceof FileFormatError)) throw refused;
      problem = refused;
    }
  }
  // The trace is refused for something else (a bad field of a converted trace): what is sure to
  // be valid is kept. Kept a few levels shallower than the bounds: the trace itself is the first level.
  const kept = { input: toJsonSafe(trace.input, FIELD_DEPTH), expected: toJsonSafe(trace.expected, FIELD_DEPTH) };
  const errorTrace = (fields: { input: unknown; expected: unknown }): TraceInput => ({
    id: trace.id,
    exampleId: trace.exampleId,
    input: fields.input,
    expected: fields.expected,
    status: 'error',
    error: clip(`the trace could not be recorded as given (${problem.message}); its spans, output and scores were dropped`, 100_000),
    start: trace.start,
    end: trace.end,
    durationMs: trace.durationMs,
    tags: [],
  });
  try {
    return writer.append(errorTrace(kept));
  } catch (third) {
    if (!(third instanceof FileFormatError)) throw third;
    // The input or expected value is itself past a bound (a string of 20 Mi characters): the
    // trace is still kept, with what that value was in its place, so a run.map goes on.
    return writer.append(errorTrace(placeholders(kept)));
  }
}

/** `input` and `expected` with the one past a bound (or, when only together too big, both) replaced by what it was. */
function placeholders(fields: { input: unknown; expected: unknown }): { input: unknown; expected: unknown } {
  const input = findBoundsViolation(fields.input);
  const expected = findBoundsViolation(fields.expected);
  if (!input && !expected) return { input: NOT_RECORDED_LINE, expected: NOT_RECORDED_LINE };
  return {
    input: input ? `[not recorded: ${clip(input.message, 1000)}]` : fields.input,
    expected: expected ? `[not recorded: ${clip(expected.message, 1000)}]` : fields.expected,
  };
}

const NOT_RECORDED_LINE = '[not recorded: the input and expected value together are too large for one trace line]';
