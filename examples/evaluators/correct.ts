import type { Evaluator } from '../../src/sdk/index.ts';

/**
 * Normalises an answer for comparison: lower case, punctuation to spaces, thousands separators
 * and currency signs dropped, and numbers written canonically, so "$349.00" and "349" agree.
 */
export function normalizeAnswer(text: string): string {
  return text
    .toLowerCase()
    .replace(/[$€£]/g, ' ')
    .replace(/(\d),(?=\d{3}\b)/g, '$1')
    .replace(/\d+\.\d+/g, (number) => String(Number(number)))
    .replace(/[^a-z0-9.]+|\.(?!\d)/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/**
 * True when the normalised expected answer appears in the normalised output as whole words:
 * "45 days" is found in "Unused items can be returned within 45 days.", "5" is not found in "15".
 * An empty expected answer never matches.
 */
export function isCorrect(output: string, expected: string): boolean {
  const wanted = normalizeAnswer(expected);
  if (wanted === '') return false;
  return ` ${normalizeAnswer(output)} `.includes(` ${wanted} `);
}

/** The primary metric: the expected answer appears in the answer (see `isCorrect`). */
export const correct: Evaluator = {
  name: 'correct',
  evaluate({ output, expected }) {
    if (typeof expected !== 'string') throw new Error('the example has no expected answer text');
    const answer = typeof output === 'string' ? output : '';
    const pass = isCorrect(answer, expected);
    return pass ? { value: true } : { value: false, rationale: `"${expected}" not found in the answer` };
  },
};
