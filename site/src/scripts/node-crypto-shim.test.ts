import { createHash as nodeCreateHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createHash } from './node-crypto-shim.ts';

describe('the browser sha256 shim', () => {
  it('matches node:crypto on padding boundaries and multi-byte text', () => {
    for (const text of ['', 'abc', 'x'.repeat(55), 'x'.repeat(56), 'x'.repeat(64), 'x'.repeat(119), 'héllo ✓ 𝄞'.repeat(40)]) {
      expect(createHash('sha256').update(text).digest('hex')).toBe(nodeCreateHash('sha256').update(text).digest('hex'));
    }
  });

  it('matches node:crypto on any string', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 300 }), (text) => {
        expect(createHash('sha256').update(text).digest('hex')).toBe(nodeCreateHash('sha256').update(text).digest('hex'));
      }),
    );
  });

  it('refuses other algorithms rather than returning a wrong digest', () => {
    expect(() => createHash('md5')).toThrow(/only sha256/);
  });
});
