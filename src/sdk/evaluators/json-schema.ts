import { z } from 'zod';
import { checkOptions } from '../check-options.ts';
import { UsageError } from '../../errors/index.ts';
import type { Evaluator } from './evaluator.ts';
import { describeValue } from '../text.ts';
import { errorMessage } from '../../errors/error-message.ts';

/**
 * Passes when the output (parsed first if it is a string) matches a JSON Schema. The schema is
 * turned into a zod schema once, with zod's `fromJSONSchema` (type, properties, required, items,
 * enum, minimum/maximum, $ref and most of draft 2020-12); a schema it cannot read is refused
 * when the evaluator is made, not on every trace.
 */
export function jsonSchema(schema: Record<string, unknown> | boolean, options: { name?: string } = {}): Evaluator {
  if (typeof schema !== 'boolean' && (schema === null || typeof schema !== 'object' || Array.isArray(schema))) {
    throw new UsageError(`jsonSchema(): expected a JSON Schema (an object or a boolean), got ${describeValue(schema)}`);
  }
  checkOptions(options, ['name'], 'jsonSchema()');
  let validator: z.ZodType;
  try {
    validator = z.fromJSONSchema(schema as Parameters<typeof z.fromJSONSchema>[0]);
  } catch (error) {
    throw new UsageError(`jsonSchema(): cannot use this JSON Schema: ${errorMessage(error)}`);
  }
  return {
    name: options.name ?? 'json_schema',
    evaluator: 'jsonSchema',
    evaluate({ output }) {
      if (output === undefined) return { value: false, rationale: 'no output' };
      let data: unknown = output;
      if (typeof output === 'string') {
        try {
          data = JSON.parse(output);
        } catch (error) {
          return { value: false, rationale: `not JSON: ${errorMessage(error)}` };
        }
      }
      const result = validator.safeParse(data);
      if (result.success) return { value: true };
      const issues = result.error.issues
        .slice(0, 3)
        .map((issue) => `${issue.path.length > 0 ? issue.path.join('.') : '(root)'}: ${issue.message}`);
      const more = result.error.issues.length > 3 ? `; and ${result.error.issues.length - 3} more` : '';
      return { value: false, rationale: issues.join('; ') + more };
    },
  };
}
