import { UsageError } from '../errors/index.ts';
import { closestName } from '../text/closest-name.ts';
import { describeValue } from './text.ts';

/**
 * Refuses an options argument that is not an object, or that names an option `call` does not
 * take. Without this a misspelt option is ignored in silence: `{ evaluator: [...] }` records
 * traces without a single score, `{ concurency: 8 }` runs one at a time.
 */
export function checkOptions(options: unknown, known: readonly string[], call: string): void {
  if (options === undefined) return;
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    throw new UsageError(`${call} expects an options object, got ${describeValue(options)}`);
  }
  for (const key of Object.keys(options)) {
    if (known.includes(key)) continue;
    const near = closestName(key, known);
    throw new UsageError(
      `${call}: unknown option ${JSON.stringify(key)}${near ? ` (did you mean "${near}"?)` : ''}; its options are ${known.join(', ')}`,
    );
  }
}
