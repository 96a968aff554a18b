/**
 * The tokenizer shared by the BM25 index and the answer step: lower-case words and numbers,
 * English stop words dropped, and a light suffix stripper so "returns", "returned" and
 * "returning" meet at "return". Deliberately tiny: good enough to make ranking work on the
 * bundled knowledge base, small enough to read in one sitting.
 */

const STOP_WORDS = new Set(
  (
    'a an and are as at be by can do does did for from has have how i if in is it its of on or ' +
    'our that the their them there these this to was we what when where which who whom why will ' +
    'with would you your my me about into than then so any all per each'
  ).split(' '),
);

/** Splits text into normalised terms. Decimal numbers stay whole ("2.5" is one term). */
export function tokenize(text: string): string[] {
  const words = text.toLowerCase().match(/[a-z0-9]+(?:\.[0-9]+)?/g) ?? [];
  const terms: string[] = [];
  for (const word of words) {
    if (STOP_WORDS.has(word)) continue;
    terms.push(stem(word));
  }
  return terms;
}

/**
 * Strips common English suffixes. Not Porter: only the few rules that matter here, and never
 * below three letters so short words such as "gas" or "bus" survive.
 */
export function stem(word: string): string {
  if (/^[0-9]/.test(word) || word.length <= 3) return word;
  if ((word.endsWith('ies') || word.endsWith('ied')) && word.length > 4) return `${word.slice(0, -3)}y`;
  if (word.endsWith('sses')) return word.slice(0, -2);
  if (word.endsWith('ing') && word.length > 5) return trimDouble(word.slice(0, -3));
  if (word.endsWith('ed') && word.length > 4) return trimDouble(word.slice(0, -2));
  if (word.endsWith('s') && !word.endsWith('ss') && !word.endsWith('us')) return word.slice(0, -1);
  return word;
}

/** "shipp" → "ship", so "shipped" and "ship" agree. */
function trimDouble(word: string): string {
  return /([^aeiouls])\1$/.test(word) ? word.slice(0, -1) : word;
}
