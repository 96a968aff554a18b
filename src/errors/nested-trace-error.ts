import { UsageError } from './usage-error.ts';

/**
 * `run.trace()` called while a trace of the same run is being recorded (most often inside
 * `run.map()`'s callback, which already traces its example). Left alone, the example would be
 * recorded twice, the outer trace holding the inner one as its output; instead the call is
 * refused and the refusal is not swallowed as the outer trace's error, so `run.map()` rejects.
 */
export class NestedTraceError extends UsageError {
  override name = 'NestedTraceError';
  constructor(
    readonly exampleId: string,
    readonly outerStartedBy: 'map' | 'trace',
  ) {
    super(
      outerStartedBy === 'map'
        ? `run.trace() was called inside run.map()'s callback (example ${JSON.stringify(exampleId)}): run.map() already records one trace per example, so this would record it twice. Do the work in the callback itself, (example, t) => …, and pass evaluators in run.map()'s options.`
        : `run.trace() was called inside the trace of example ${JSON.stringify(exampleId)}: a trace cannot contain another trace of the same run. Record a step inside it with span() instead.`,
    );
  }
}
