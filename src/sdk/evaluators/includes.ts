import { UsageError } from '../../errors/index.ts';
import { checkOptions } from '../check-options.ts';
import { preview } from '../text.ts';
import type { Evaluator } from './evaluator.ts';
import { outputText } from './values.ts';

export interface IncludesOptions {
  /** The text(s) to look for; default: the example's expected value (a string or a list of strings). */
  value?: string | readonly string[];
  ignoreCase?: boolean;
  name?: string;
}

/** Passes when the output's text contains every one of the given texts (or the expected ones). */
export function includes(
  valueOrOptions?: string | readonly string[] | IncludesOptions,
  maybeOptions: Omit<IncludesOptions, 'value'> = {},
): Evaluator {
  if (
    valueOrOptions !== undefined &&
    typeof valueOrOptions !== 'string' &&
    (valueOrOptions === null || typeof valueOrOptions !== 'object')
  ) {
    throw new UsageError('includes() expects a string, a list of strings or { value, ignoreCase, name }');
  }
  if (typeof valueOrOptions === 'object' && !Array.isArray(valueOrOptions)) {
    checkOptions(valueOrOptions, ['value', 'ignoreCase', 'name'], 'includes()');
  }
  checkOptions(maybeOptions, ['ignoreCase', 'name'], 'includes()');
  const options: IncludesOptions =
    typeof valueOrOptions === 'string' || Array.isArray(valueOrOptions)
      ? { ...maybeOptions, value: valueOrOptions as string | readonly string[] }
      : { ...maybeOptions, ...(valueOrOptions as IncludesOptions | undefined) };
  if (options.value !== undefined && !isTexts(options.value)) throw new UsageError('includes() expects a string or a list of strings');
  const fold = options.ignoreCase ? (text: string) => text.toLowerCase() : (text: string) => text;
  return {
    name: options.name ?? 'includes',
    evaluator: 'includes',
    evaluate({ output, expected }) {
      const wanted = options.value ?? expected;
      if (wanted === undefined) throw new Error('nothing to look for: give includes() a value or the example an expected value');
      if (!isTexts(wanted)) throw new Error(`the expected value is not a string or a list of strings: ${preview(wanted)}`);
      const needles = typeof wanted === 'string' ? [wanted] : wanted;
      const text = outputText(output);
      if (text === null) return { value: false, rationale: 'no output' };
      const haystack = fold(text);
      const missing = needles.filter((needle) => !haystack.includes(fold(needle)));
      return missing.length === 0
        ? { value: true }
        : { value: false, rationale: `missing ${missing.map((m) => preview(m, 80)).join(', ')}` };
    },
  };
}

function isTexts(value: unknown): value is string | readonly string[] {
  return typeof value === 'string' || (Array.isArray(value) && value.every((item) => typeof item === 'string'));
}
