import { LabbookError } from './labbook-error.ts';

/**
 * A run reference (a name, or a prefix or suffix of an id) that fits several runs: found, not
 * missing, and what to do is to pick one of the candidates the message lists.
 */
export class AmbiguousReferenceError extends LabbookError {
  override name = 'AmbiguousReferenceError';
  constructor(
    readonly reference: string,
    readonly candidates: readonly string[],
    message: string,
  ) {
    super(message);
  }
}
