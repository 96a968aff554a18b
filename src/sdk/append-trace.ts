import type { Trace, TraceInput } from '../../schemas/trace.ts';
import { FileFormatError } from '../errors/index.ts';
import type { TraceWriter } from '../store/run-writer.ts';
import { toJsonSafe } from './json-safe.ts';
import { clip } from './text.ts';

/**
 * Appends a trace so that it is never lost: a value JSON cannot write (a cycle, a bigint) is
 * made safe and written again; a trace the schema refuses is written as an error trace that
 * keeps its id, example, input and timing and says what was wrong. Only a closed writer or a
 * failing disk throws.
 */
export function appendTrace(writer: TraceWriter, trace: TraceInput): Trace {
  let problem: FileFormatError;
  try {
    return writer.append(trace);
  } catch (error) {
    if (error instanceof FileFormatError) problem = error;
    else if (error instanceof TypeError) {
      try {
        return writer.append(toJsonSafe(trace) as TraceInput);
      } catch (second) {
        if (!(second instanceof FileFormatError)) throw second;
        problem = second;
      }
    } else throw error;
  }
  return writer.append({
    id: trace.id,
    exampleId: trace.exampleId,
    input: toJsonSafe(trace.input),
    expected: toJsonSafe(trace.expected),
    status: 'error',
    error: clip(`the trace could not be recorded as given (${problem.message}); its spans, output and scores were dropped`, 100_000),
    start: trace.start,
    end: trace.end,
    durationMs: trace.durationMs,
    tags: [],
  });
}
