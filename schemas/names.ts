import { z } from 'zod';

/**
 * Names of experiments, runs, configs and environments become folder names under
 * `experiments/`. The pattern has no `/`, no leading dot and no `..`, so no name can
 * reach outside its folder; the bound keeps paths well under filesystem limits.
 */
export const NAME_PATTERN = /^[a-z0-9][a-z0-9._-]*$/;
export const NAME_MAX_LENGTH = 100;

export const nameSchema = z
  .string()
  .min(1)
  .max(NAME_MAX_LENGTH)
  .regex(NAME_PATTERN, 'must match [a-z0-9][a-z0-9._-]* (lower case, no "/" or "..")')
  .refine((name) => !name.includes('..'), 'must not contain ".."');

export type Name = z.infer<typeof nameSchema>;

/** `sha256:<64 hex>`, the form every digest takes in Labbook's files. */
export const digestSchema = z.string().regex(/^sha256:[0-9a-f]{64}$/, 'must be sha256:<64 hex digits>');

/** ISO-8601 timestamp with a time zone, as written by `Date.prototype.toISOString`. */
export const isoTimeSchema = z.iso.datetime({ offset: true });
