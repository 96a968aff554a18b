import { describe, expect, it } from 'vitest';
import { lookAlikeProblem } from './look-alike-letters.ts';

describe('lookAlikeProblem', () => {
  it('passes names in one script, whichever, with accents, digits and punctuation', () => {
    for (const name of [
      'Grace Hopper',
      'José Núñez',
      'Zoe\u0308',
      'Ольга Петрова',
      'Σωκράτης',
      '李雷',
      'अदिति',
      'π-approx',
      'Ω2 team',
      'O\u2019Brien',
    ])
      expect(lookAlikeProblem(name), name).toBeNull();
  });

  it('names the stand-in letters of a word mixing Latin, Cyrillic or Greek', () => {
    expect(lookAlikeProblem('Grace Hopp\u0435r')).toBe(
      'mixes Latin and Cyrillic letters in "Hoppеr" (Cyrillic: "е" U+0435), so it looks like a name it is not',
    );
    expect(lookAlikeProblem('\u0410\u043B\u0438\u0441a')).toMatch(/^mixes Latin and Cyrillic letters in "Алисa" \(Latin: "a" U\+0061\)/);
    expect(lookAlikeProblem('\u039Fscar')).toMatch(/^mixes Latin and Greek letters .*Greek: "Ο" U\+039F/);
  });

  it('refuses characters that show nothing', () => {
    for (const [name, code] of [
      ['Gra\u200Bce', 'U+200B'],
      ['Gra\u200Dce', 'U+200D'],
      ['Gra\u00ADce', 'U+00AD'],
      ['Grace\u2060', 'U+2060'],
    ])
      expect(lookAlikeProblem(name!)).toBe(`contains an invisible character (${code}), so it looks like a name it is not`);
  });
});
