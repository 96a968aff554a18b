import { LabbookError } from '../../src/errors/index.ts';

/** An action input that is missing, malformed or contradicts another; names the input and its value. */
export class InputError extends LabbookError {
  override name = 'InputError';
  constructor(
    readonly input: string,
    readonly value: string | undefined,
    reason: string,
  ) {
    super(
      `input "${input}"${value === undefined ? '' : ` (${JSON.stringify(value.length > 200 ? `${value.slice(0, 200)}…` : value)})`}: ${reason}`,
    );
  }
}
