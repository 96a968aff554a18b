import { UsageError } from './usage-error.ts';

/**
 * `run.finish()` called while a trace of the same run is being recorded, from the traced
 * function (`run.trace`'s `fn`, `run.map`'s callback) or an evaluator. `finish()` waits for every
 * trace in flight, that one included, which waits for `finish()`: left alone the script hangs
 * for ever. Like a NestedTraceError it is not swallowed as the trace's error, so the call that
 * opened the trace rejects and the script stops with this message.
 */
export class FinishInsideTraceError extends UsageError {
  override name = 'FinishInsideTraceError';
  constructor(readonly exampleId: string | undefined) {
    super(
      `run.finish() was called inside the trace of ${exampleId === undefined ? 'an example' : `example ${JSON.stringify(exampleId)}`} (from run.trace()'s function, run.map()'s callback or an evaluator): finish() waits for every trace in flight, this one included, so it would wait for itself for ever. Call it once run.trace() or run.map() has resolved (await run.map(…); await run.finish()); to stop a run.map() early, call it from its onTrace option.`,
    );
  }
}
