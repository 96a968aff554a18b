import type { Trace } from '../../schemas/trace.ts';
import { countNoun } from '../text/count-noun.ts';

/**
 * Notices the examples one `run.map` traced twice under the same id (and trial): two dataset
 * rows with one `id`, or without ids and with the same input. The traces are all kept, but
 * `labbook compare` pairs runs on example ids and reads only the first trace of each, so the
 * script is told once, at the end of the map, rather than finding out at comparison time.
 */
export class RepeatedExamples {
  readonly #seen = new Set<string>();
  readonly #repeated = new Set<string>();

  see(trace: Trace): void {
    const key = trace.trial === undefined ? trace.exampleId : `${trace.exampleId}\u0000${trace.trial}`;
    if (this.#seen.has(key)) this.#repeated.add(trace.exampleId);
    else this.#seen.add(key);
  }

  warn(): void {
    if (this.#repeated.size === 0) return;
    const ids = [...this.#repeated];
    const shown =
      ids
        .slice(0, 5)
        .map((id) => JSON.stringify(id))
        .join(', ') + (ids.length > 5 ? `, and ${ids.length - 5} more` : '');
    process.emitWarning(
      `run.map(): ${countNoun(ids.length, 'example id')} ${ids.length === 1 ? 'was' : 'were'} traced more than once (${shown}): labbook compare pairs runs on example ids and reads only the first trace of each; give every example its own id`,
      { type: 'LabbookWarning' },
    );
  }
}
