import type { Evaluator } from './evaluator.ts';
import { checkOptions } from '../check-options.ts';
import { errorMessage } from '../../errors/error-message.ts';

/**
 * Passes when the output is JSON: a string that parses, or data (object, array, number,
 * boolean, null) that the agent returned already parsed. No output fails.
 */
export function jsonValid(options: { name?: string } = {}): Evaluator {
  checkOptions(options, ['name'], 'jsonValid()');
  return {
    name: options.name ?? 'json_valid',
    evaluator: 'jsonValid',
    evaluate({ output }) {
      if (output === undefined) return { value: false, rationale: 'no output' };
      if (typeof output !== 'string') return { value: true };
      try {
        JSON.parse(output);
        return { value: true };
      } catch (error) {
        return { value: false, rationale: `not JSON: ${errorMessage(error)}` };
      }
    },
  };
}
