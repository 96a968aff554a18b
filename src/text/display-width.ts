/**
 * How many columns a terminal gives a text: a CJK character or an emoji takes two, a combining
 * mark none (it joins the character before it), a control character none; the rest one. By
 * grapheme, so an emoji sequence joined by U+200D (👨‍👩‍👧) is one emoji of two columns. Tables
 * pad by this, so names in Chinese, Japanese or Korean, or with emoji, keep their columns lined up.
 */
export function displayWidth(text: string): number {
  if (PLAIN.test(text)) return text.length;
  let width = 0;
  for (const { segment } of graphemes.segment(text)) width += graphemeWidth(segment);
  return width;
}

/** The text padded with spaces to `width` columns, on the right (`left`) or on the left (`right`). */
export function padToWidth(text: string, width: number, align: 'left' | 'right' = 'left'): string {
  const room = width - displayWidth(text);
  if (room <= 0) return text;
  return align === 'left' ? text + ' '.repeat(room) : ' '.repeat(room) + text;
}

/** The text cut to at most `max` columns, ending in `…` when cut; never inside a grapheme. */
export function clipToWidth(text: string, max: number): string {
  if (displayWidth(text) <= max) return text;
  let kept = '';
  let width = 0;
  for (const { segment } of graphemes.segment(text)) {
    const next = graphemeWidth(segment);
    if (width + next > Math.max(max - 1, 1)) break;
    kept += segment;
    width += next;
  }
  return `${kept}…`;
}

/** Printable ASCII: one column each, the common case, measured without segmenting. */
const PLAIN = /^[\x20-\x7e]*$/;
// Made on first use: building it takes about 7 ms, and most tables are plain ASCII.
let segmenter: Intl.Segmenter | undefined;
const graphemes = { segment: (text: string) => (segmenter ??= new Intl.Segmenter('en', { granularity: 'grapheme' })).segment(text) };
const EMOJI = /\p{Emoji_Presentation}|\uFE0F/u;
const ZERO_WIDTH = /^[\p{Mn}\p{Me}\p{Cc}\p{Cf}]+$/u;

function graphemeWidth(grapheme: string): number {
  if (ZERO_WIDTH.test(grapheme)) return 0;
  if (EMOJI.test(grapheme)) return 2;
  return isWide(grapheme.codePointAt(0)!) ? 2 : 1;
}

/** East Asian Wide and Fullwidth code points (Unicode's EastAsianWidth W and F), by block. */
function isWide(cp: number): boolean {
  return (
    (cp >= 0x1100 && cp <= 0x115f) ||
    (cp >= 0x2e80 && cp <= 0x303e) ||
    (cp >= 0x3041 && cp <= 0x33ff) ||
    (cp >= 0x3400 && cp <= 0x4dbf) ||
    (cp >= 0x4e00 && cp <= 0x9fff) ||
    (cp >= 0xa000 && cp <= 0xa4cf) ||
    (cp >= 0xa960 && cp <= 0xa97f) ||
    (cp >= 0xac00 && cp <= 0xd7a3) ||
    (cp >= 0xf900 && cp <= 0xfaff) ||
    (cp >= 0xfe10 && cp <= 0xfe19) ||
    (cp >= 0xfe30 && cp <= 0xfe6f) ||
    (cp >= 0xff00 && cp <= 0xff60) ||
    (cp >= 0xffe0 && cp <= 0xffe6) ||
    (cp >= 0x20000 && cp <= 0x3fffd)
  );
}
