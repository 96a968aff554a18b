const SYLLABLES = [
  'ka',
  'lo',
  'mi',
  'ne',
  'ru',
  'sa',
  'ti',
  'vo',
  'pe',
  'da',
  'gri',
  'sto',
  'ple',
  'xan',
  'bor',
  'fel',
  'quo',
  'zen',
  'har',
  'wil',
  'ent',
  'ion',
  'ous',
  'ary',
];

/**
 * `size` distinct made-up words of 1 to `maxSyllables` syllables, drawn with `random`: text for
 * the generators that is varied enough that neither JSON.parse nor gzip is flattered.
 */
export function vocabulary(random: () => number, size: number, maxSyllables: number): string[] {
  const words = new Set<string>();
  while (words.size < size) {
    let word = '';
    const length = 1 + Math.floor(random() * maxSyllables);
    for (let i = 0; i < length; i++) word += SYLLABLES[Math.floor(random() * SYLLABLES.length)];
    words.add(word);
  }
  return [...words];
}

/** A word of `words` with a Zipf-like frequency: the first words are drawn far more often, as in real text. */
export function zipfWord(words: readonly string[], random: () => number): string {
  return words[Math.min(words.length - 1, Math.floor(Math.pow(words.length, random()) - 1))]!;
}
