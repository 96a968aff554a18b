import { UsageError } from '../../errors/index.ts';
import { checkOptions } from '../check-options.ts';
import { describeValue, preview } from '../text.ts';
import type { Evaluator } from './evaluator.ts';
import { parseNumber } from './values.ts';

export interface NumericClosenessOptions {
  /** The largest difference that still passes (absolute, or a fraction of |expected| when `relative`). */
  tolerance: number;
  relative?: boolean;
  name?: string;
}

/**
 * Passes when the output is a number (or a string that is exactly one) within `tolerance` of
 * the expected number. Text around the number fails: extract it in the agent or a custom
 * evaluator, so what was parsed is never a guess.
 */
export function numericCloseness(options: NumericClosenessOptions): Evaluator {
  checkOptions(options, ['tolerance', 'relative', 'name'], 'numericCloseness()');
  const { tolerance, relative = false } = options ?? ({} as NumericClosenessOptions);
  if (typeof tolerance !== 'number' || !Number.isFinite(tolerance) || tolerance < 0) {
    throw new UsageError(`numericCloseness(): tolerance must be a finite number of at least 0, got ${describeValue(tolerance)}`);
  }
  return {
    name: options.name ?? 'numeric_closeness',
    evaluator: 'numericCloseness',
    evaluate({ output, expected }) {
      const want = parseNumber(expected);
      if (want === null) throw new Error(`the expected value is not a number: ${preview(expected)}`);
      const got = parseNumber(output);
      if (got === null) return { value: false, rationale: `the output is not a number: ${preview(output)}` };
      const difference = Math.abs(got - want);
      const allowed = relative ? tolerance * Math.abs(want) : tolerance;
      const pass = difference <= allowed;
      return { value: pass, rationale: `|${got} − ${want}| = ${round(difference)} ${pass ? '≤' : '>'} ${round(allowed)}` };
    },
  };
}

function round(value: number): string {
  return Number(value.toPrecision(6)).toString();
}
