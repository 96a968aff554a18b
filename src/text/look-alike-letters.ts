/**
 * Why a name could pass for another it is not, or null. Latin, Cyrillic and Greek share letters
 * that look the same ("Grace" and "Grаce", whose "а" is Cyrillic), so a word that mixes them
 * reads as a name it is not; characters that show nothing (zero-width spaces and joiners, soft
 * hyphens) make two names that look the same differ. Names in one script, whichever, pass.
 * Pure: the site's review form uses it too.
 */
export function lookAlikeProblem(text: string): string | null {
  const invisible = INVISIBLE.exec(text);
  if (invisible) return `contains an invisible character (${codePoint(invisible[0])}), so it looks like a name it is not`;
  for (const word of text.match(WORD) ?? []) {
    const present = SCRIPTS.map(({ name, letter }) => ({ name, letters: [...word].filter((c) => letter.test(c)) })).filter(
      (script) => script.letters.length > 0,
    );
    if (present.length < 2) continue;
    // The script the word holds fewest letters of is the one standing in for the other.
    const fewest = present.reduce((a, b) => (b.letters.length < a.letters.length ? b : a));
    const letters = [...new Set(fewest.letters)].map((c) => `"${c}" ${codePoint(c)}`).join(', ');
    return `mixes ${present.map((s) => s.name).join(' and ')} letters in "${word}" (${fewest.name}: ${letters}), so it looks like a name it is not`;
  }
  return null;
}

const codePoint = (c: string) => `U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;

const WORD = /[\p{L}\p{M}]+/gu;
const INVISIBLE = /\p{Default_Ignorable_Code_Point}/u;
// The scripts whose letters pass for each other's; others (Han, Arabic, Devanagari…) do not
// mix with Latin by accident of look.
const SCRIPTS = [
  { name: 'Latin', letter: /\p{Script=Latin}/u },
  { name: 'Cyrillic', letter: /\p{Script=Cyrillic}/u },
  { name: 'Greek', letter: /\p{Script=Greek}/u },
];
