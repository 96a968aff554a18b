import { canonicalJson } from '../../json/canonical-json.ts';
import { checkOptions } from '../check-options.ts';
import { preview } from '../text.ts';
import type { Evaluator } from './evaluator.ts';
import { normalizeText, outputText } from './values.ts';

export interface ExactMatchOptions {
  /** Compare text ignoring case, Unicode forms and runs of whitespace. Default false: exact. */
  normalize?: boolean;
  name?: string;
}

/**
 * Passes when the output equals the expected value. Text is compared as text (numbers written
 * out, so `42` matches `"42"`); data is compared as canonical JSON, so key order does not
 * matter. A trace without an expected value gets an error score, not a verdict.
 */
export function exactMatch(options: ExactMatchOptions = {}): Evaluator {
  checkOptions(options, ['normalize', 'name'], 'exactMatch()');
  const normalize = options.normalize ?? false;
  return {
    name: options.name ?? 'exact_match',
    evaluator: 'exactMatch',
    evaluate({ output, expected }) {
      if (expected === undefined) throw new Error('the example has no expected value');
      let pass: boolean;
      if (typeof expected === 'string' || typeof expected === 'number' || typeof expected === 'boolean') {
        const got = outputText(output);
        const want = String(expected);
        pass = got !== null && (normalize ? normalizeText(got) === normalizeText(want) : got === want);
      } else {
        pass = output !== undefined && canonicalJson(output) === canonicalJson(expected);
      }
      return pass ? { value: true } : { value: false, rationale: `expected ${preview(expected)}, got ${preview(output)}` };
    },
  };
}
