import { describe, expect, it } from 'vitest';
import { evaluatorConfigSchema } from './evaluator-config.ts';

const problems = (config: unknown) => {
  const parsed = evaluatorConfigSchema.safeParse(config);
  return parsed.success ? [] : parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
};

describe('an evaluator under evaluators: (or --evaluator)', () => {
  it('takes each built-in with the options its function takes', () => {
    for (const config of [
      { use: 'exactMatch' },
      { use: 'exactMatch', with: { normalize: true } },
      { use: 'includes', with: { value: 'refund', ignoreCase: true } },
      { use: 'includes', with: { value: ['refund', 'return'] } },
      { use: 'regex', with: { pattern: '^\\d+$' } },
      { use: 'jsonValid', name: 'parses' },
      { use: 'jsonSchema', with: { schema: { type: 'object' } } },
      { use: 'jsonSchema', with: { schema: true } },
      { use: 'numericCloseness', with: { tolerance: 0.01, relative: true } },
      { use: 'latencyBudget', with: { ms: 2000 } },
      { use: 'tokenBudget', with: { limit: 4000 } },
    ])
      expect(problems(config), JSON.stringify(config)).toEqual([]);
  });

  it('refuses an option the built-in does not take, one of the wrong kind and a missing one, each by name', () => {
    expect(problems({ use: 'exactMatch', with: { normalise: true } })).toEqual([
      'with.normalise: "normalise" is not an option of exactMatch (it takes normalize)',
    ]);
    expect(problems({ use: 'jsonValid', with: { strict: true } })).toEqual([
      'with.strict: "strict" is not an option of jsonValid (it takes none)',
    ]);
    expect(problems({ use: 'exactMatch', with: { normalize: 'yes' } })).toEqual([
      'with.normalize: exactMatch\'s "normalize" must be true or false',
    ]);
    expect(problems({ use: 'includes', with: { value: ['a', 3] } })).toEqual([
      'with.value: includes\'s "value" must be a string or a list of strings',
    ]);
    expect(problems({ use: 'latencyBudget', with: { ms: Number.NaN } })).toEqual(['with.ms: latencyBudget\'s "ms" must be a number']);
    expect(problems({ use: 'jsonSchema', with: { schema: [] } })).toEqual([
      'with.schema: jsonSchema\'s "schema" must be a JSON Schema (a mapping, or true or false)',
    ]);
    expect(problems({ use: 'regex' })).toEqual(['with: regex needs "with.pattern" (a string)']);
    // Every problem, not the first.
    expect(problems({ use: 'numericCloseness', with: { tolerence: 0.1 } })).toEqual([
      'with.tolerence: "tolerence" is not an option of numericCloseness (it takes tolerance, relative)',
      'with: numericCloseness needs "with.tolerance" (a number)',
    ]);
  });
});
