import { UsageError } from '../../errors/index.ts';
import { checkOptions } from '../check-options.ts';
import type { Evaluator } from './evaluator.ts';
import { describeValue } from '../text.ts';
import { outputText } from './values.ts';
import { errorMessage } from '../../errors/error-message.ts';

/**
 * Passes when the output's text matches the pattern. The `g` and `y` flags are dropped: they
 * make `test` remember where it stopped, so the same output would pass on one trace and fail
 * on the next.
 */
export function regex(pattern: RegExp | string, options: { name?: string } = {}): Evaluator {
  if (typeof pattern !== 'string' && !(pattern instanceof RegExp)) {
    throw new UsageError(`regex(): expected a RegExp or a string, got ${describeValue(pattern)}`);
  }
  checkOptions(options, ['name'], 'regex()');
  let compiled: RegExp;
  try {
    compiled = typeof pattern === 'string' ? new RegExp(pattern) : new RegExp(pattern.source, pattern.flags.replace(/[gy]/g, ''));
  } catch (error) {
    throw new UsageError(`regex(): invalid pattern ${JSON.stringify(String(pattern))}: ${errorMessage(error)}`);
  }
  return {
    name: options.name ?? 'regex',
    evaluator: 'regex',
    evaluate({ output }) {
      const text = outputText(output);
      if (text === null) return { value: false, rationale: 'no output' };
      return compiled.test(text) ? { value: true } : { value: false, rationale: `does not match ${compiled}` };
    },
  };
}
