import { LabbookError } from './labbook-error.ts';

/** An experiment, run or trace that the user named and that does not exist. */
export class NotFoundError extends LabbookError {
  override name = 'NotFoundError';
  constructor(
    readonly kind: 'experiment' | 'run' | 'trace' | 'file' | 'config' | 'dataset',
    readonly id: string,
    hint?: string,
  ) {
    super(`${kind} not found: ${id}${hint ? ` (${hint})` : ''}`);
  }
}
