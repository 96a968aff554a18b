/**
 * Characters that make one id, name or label look like another (and can hide text in a
 * review or split a TSV or log line): C0 and C1 controls (TAB, CR and LF included), line and
 * paragraph separators, bidirectional overrides and isolates, and the byte-order mark. Trace
 * ids are refused with them when written (SDK, runner, import), when read (`validate`) and
 * when annotated, by this one rule, so an id that was recorded can always be annotated.
 */
export const HIDDEN_CHARACTERS = /[\u0000-\u001F\u007F-\u009F\u2028\u2029\u202A-\u202E\u2066-\u2069\uFEFF]/u;

/** Prose (notes): line breaks and tabs are fine there, other control characters are not. */
export const HIDDEN_IN_PROSE = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069\uFEFF]/u;

export const HIDDEN_CHARACTERS_MESSAGE = 'contains control or bidirectional-override characters';

/** True when an id is free of hidden characters. */
export function isVisibleId(id: string): boolean {
  return !HIDDEN_CHARACTERS.test(id);
}
