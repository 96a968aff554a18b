import { describe, expect, it } from 'vitest';
import { clipToWidth, displayWidth, padToWidth } from './display-width.ts';

describe('displayWidth', () => {
  it('counts the columns a terminal gives: two for CJK and emoji, none for a combining mark', () => {
    expect(displayWidth('agent')).toBe(5);
    expect(displayWidth('日本語')).toBe(6);
    expect(displayWidth('한국어 ok')).toBe(9);
    expect(displayWidth('🤖 agent')).toBe(8);
    expect(displayWidth('👨‍👩‍👧‍👦')).toBe(2); // one grapheme: four people joined by U+200D
    expect(displayWidth('e\u0301')).toBe(1); // é as e + combining acute
    expect(displayWidth('ＡＢ')).toBe(4); // fullwidth Latin
    expect(displayWidth('café — “quoted”')).toBe(15);
  });

  it('pads and clips by columns, never inside a grapheme', () => {
    expect(padToWidth('日本', 6)).toBe('日本  ');
    expect(padToWidth('日本', 6, 'right')).toBe('  日本');
    expect(clipToWidth('日本語のエージェント', 7)).toBe('日本語…');
    expect(displayWidth(clipToWidth('👨‍👩‍👧‍👦👨‍👩‍👧‍👦👨‍👩‍👧‍👦', 5))).toBeLessThanOrEqual(5);
    expect(clipToWidth('short', 10)).toBe('short');
  });
});
