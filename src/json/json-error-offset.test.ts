import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { jsonErrorOffset } from './json-error-offset.ts';

describe('jsonErrorOffset', () => {
  test.each([
    ['{"a": 1}', -1],
    ['[1, 2, {"b": [true, false, null]}]', -1],
    ['  "text"  ', -1],
    ['{\n  "resourceSpans": [\n    oops\n  ]\n}', 27],
    ['{"a":}', 5],
    ['{"a": 1} x', 9],
    ['{"a": 1,}', 8],
    ['[1 2]', 3],
    ['{"a" 1}', 5],
    ['{"a": "\\q"}', 8],
  ])('%j → %i', (text, offset) => {
    expect(jsonErrorOffset(text)).toBe(offset);
  });

  test.each(['{"a": [1, 2', '{"a": "ab', '{"a": tr', '[', '', '{"a"'])('truncated %j → its length', (text) => {
    expect(jsonErrorOffset(text)).toBe(text.length);
  });

  test('agrees with JSON.parse on what is valid, and every prefix of valid JSON is truncation', () => {
    fc.assert(
      fc.property(fc.json(), (text) => {
        expect(jsonErrorOffset(text)).toBe(-1);
        const cut = text.trimEnd().length - 1;
        if (cut > 0 && /[\]}"]$/.test(text.trimEnd())) expect(jsonErrorOffset(text.slice(0, cut))).toBe(cut);
      }),
    );
  });

  test('nesting deeper than any call stack', () => {
    const deep = `${'['.repeat(200_000)}${']'.repeat(200_000)}`;
    expect(jsonErrorOffset(deep)).toBe(-1);
    expect(jsonErrorOffset(deep.slice(0, -1))).toBe(deep.length - 1);
  });
});
