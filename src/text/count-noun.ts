import { groupDigits } from './group-digits.ts';

/** A count and its noun, agreeing: `1 trace`, `0 traces`, `2 errors` (`plural` for the irregular). */
export function countNoun(count: number, noun: string, plural = `${noun}s`): string {
  return `${groupDigits(count)} ${count === 1 ? noun : plural}`;
}
