import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readUtf8 } from './utf8-strings.ts';

/** What the reader must give for `bytes`: their text when valid UTF-8 without U+FFFD, else undefined. */
function expected(bytes: Uint8Array): string | undefined {
  try {
    const text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
    return text.includes('\uFFFD') ? undefined : text;
  } catch {
    return undefined;
  }
}

/** `text` placed inside other bytes, as a string field sits in a request. */
function inBody(text: string | Uint8Array): { buf: Buffer; start: number; end: number } {
  const bytes = typeof text === 'string' ? Buffer.from(text) : Buffer.from(text);
  return { buf: Buffer.concat([Buffer.from([0x0a, 0xff]), bytes, Buffer.from([0x12])]), start: 2, end: 2 + bytes.length };
}

const read = (text: string | Uint8Array) => {
  const { buf, start, end } = inBody(text);
  return readUtf8(buf, start, end);
};

describe('readUtf8', () => {
  it('reads any bytes as a strict UTF-8 decoder does, refusing U+FFFD (property)', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.uint8Array({ maxLength: 80 }),
          fc.string({ unit: 'binary', maxLength: 60 }).map((s) => Buffer.from(s)),
        ),
        (bytes) => {
          expect(read(bytes)).toBe(expected(bytes));
          expect(read(bytes)).toBe(expected(bytes)); // and again, from the table when it is there
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('reads a short ASCII text again (from the table), a long one, and an empty one', () => {
    // JavaScript cannot see whether two equal strings are one object: the table's use is shown
    // by the benchmark's allocation, and its answers here.
    for (let round = 0; round < 3; round++) expect(read('gen_ai.operation.name')).toBe('gen_ai.operation.name');
    expect(read('x'.repeat(49))).toBe('x'.repeat(49));
    expect(read('')).toBe('');
  });

  it('never answers with another string that took the same slot', () => {
    // Short keys until two share a slot of the table (4,096 slots: a few hundred suffice).
    const bySlot = new Map<number, string>();
    let pair: [string, string] | undefined;
    for (let i = 0; !pair; i++) {
      const key = `k${i}`;
      let hash = 0x811c9dc5;
      for (const byte of Buffer.from(key)) hash = Math.imul(hash ^ byte, 0x01000193);
      const slot = hash & 4095;
      const other = bySlot.get(slot);
      if (other !== undefined && other.length === key.length) pair = [other, key];
      else bySlot.set(slot, key);
    }
    for (let round = 0; round < 3; round++) for (const key of pair) expect(read(key)).toBe(key);
  });

  it('reads non-ASCII text and refuses invalid bytes and U+FFFD, short or long', () => {
    expect(read('Grüße ✓')).toBe('Grüße ✓');
    expect(read('Grüße ✓ '.repeat(10))).toBe('Grüße ✓ '.repeat(10));
    expect(read(new Uint8Array([0x61, 0xc3, 0x28]))).toBeUndefined();
    expect(read(new Uint8Array([...Buffer.from('a'.repeat(60)), 0xff]))).toBeUndefined();
    expect(read('sent \uFFFD as is')).toBeUndefined();
  });
});
