import { LabbookError } from './labbook-error.ts';

/** A command line or API call whose arguments are missing, malformed or contradictory. */
export class UsageError extends LabbookError {
  override name = 'UsageError';
}
