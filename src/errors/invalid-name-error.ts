import { LabbookError } from './labbook-error.ts';

/** A name (experiment, run, environment) that could escape its folder or is not allowed. */
export class InvalidNameError extends LabbookError {
  override name = 'InvalidNameError';
  constructor(
    readonly kind: string,
    readonly value: string,
    reason: string,
  ) {
    super(`invalid ${kind} name ${JSON.stringify(value.length > 120 ? `${value.slice(0, 120)}…` : value)}: ${reason}`);
  }
}
