import { z } from 'zod';

/** The built-in evaluators a configuration may name (src/sdk/evaluators). */
export const BUILTIN_EVALUATORS = [
  'exactMatch',
  'includes',
  'regex',
  'jsonValid',
  'jsonSchema',
  'numericCloseness',
  'latencyBudget',
  'tokenBudget',
] as const;
type BuiltinEvaluator = (typeof BUILTIN_EVALUATORS)[number];

/** What an option under `with:` holds, and how a message names it. */
const OPTION_KINDS = {
  boolean: { words: 'true or false', holds: (value: unknown) => typeof value === 'boolean' },
  string: { words: 'a string', holds: (value: unknown) => typeof value === 'string' },
  number: { words: 'a number', holds: (value: unknown) => typeof value === 'number' && Number.isFinite(value) },
  strings: {
    words: 'a string or a list of strings',
    holds: (value: unknown) => typeof value === 'string' || (Array.isArray(value) && value.every((item) => typeof item === 'string')),
  },
  schema: {
    words: 'a JSON Schema (a mapping, or true or false)',
    holds: (value: unknown) => typeof value === 'boolean' || (value !== null && typeof value === 'object' && !Array.isArray(value)),
  },
} as const;

type OptionSpec = { kind: keyof typeof OPTION_KINDS; required?: true };

/**
 * The options each built-in takes under `with:`, as its function takes them. Anything else is
 * refused (by `labbook validate`, `labbook run` and the action alike): a misspelt `normalise`
 * must not be dropped in silence and leave the evaluator on its defaults.
 */
const BUILTIN_EVALUATOR_OPTIONS: Record<BuiltinEvaluator, Record<string, OptionSpec>> = {
  exactMatch: { normalize: { kind: 'boolean' } },
  includes: { value: { kind: 'strings' }, ignoreCase: { kind: 'boolean' } },
  regex: { pattern: { kind: 'string', required: true } },
  jsonValid: {},
  jsonSchema: { schema: { kind: 'schema', required: true } },
  numericCloseness: { tolerance: { kind: 'number', required: true }, relative: { kind: 'boolean' } },
  latencyBudget: { ms: { kind: 'number', required: true } },
  tokenBudget: { limit: { kind: 'number', required: true } },
};

/**
 * An evaluator `labbook run` applies to the traces its OTLP receiver records (agents without the
 * SDK): a built-in by name, its options under `with`, the score's name under `name`.
 */
export const evaluatorConfigSchema = z
  .strictObject({
    name: z.string().min(1).max(200).optional(),
    use: z.enum(BUILTIN_EVALUATORS),
    with: z.record(z.string(), z.unknown()).optional(),
  })
  .superRefine((config, ctx) => {
    const options = BUILTIN_EVALUATOR_OPTIONS[config.use];
    const given = config.with ?? {};
    const takes = Object.keys(options);
    for (const [key, value] of Object.entries(given)) {
      const spec = options[key];
      if (!spec) {
        ctx.addIssue({
          code: 'custom',
          path: ['with', key],
          message: `"${key}" is not an option of ${config.use} (${takes.length > 0 ? `it takes ${takes.join(', ')}` : 'it takes none'})`,
        });
      } else if (!OPTION_KINDS[spec.kind].holds(value)) {
        ctx.addIssue({ code: 'custom', path: ['with', key], message: `${config.use}'s "${key}" must be ${OPTION_KINDS[spec.kind].words}` });
      }
    }
    for (const [key, spec] of Object.entries(options)) {
      if (spec.required && !(key in given))
        ctx.addIssue({ code: 'custom', path: ['with'], message: `${config.use} needs "with.${key}" (${OPTION_KINDS[spec.kind].words})` });
    }
  });
export type EvaluatorConfig = z.infer<typeof evaluatorConfigSchema>;
