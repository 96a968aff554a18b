import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../errors/index.ts';
import { fnv1a32, inShard, parseShard } from './shard.ts';

describe('parseShard', () => {
  it('reads i/n', () => {
    expect(parseShard('1/4')).toEqual({ index: 1, count: 4 });
    expect(parseShard(' 2 / 2 ')).toEqual({ index: 2, count: 2 });
  });

  it.each(['0/4', '3/2', 'a/b', '1/0', '', '1', '-1/2', '1.5/2'])('rejects %j naming the value', (text) => {
    expect(() => parseShard(text)).toThrow(UsageError);
    expect(() => parseShard(text)).toThrow(`"${text}"`);
  });
});

describe('fnv1a32', () => {
  it('matches the published FNV-1a test vectors', () => {
    expect(fnv1a32('')).toBe(0x811c9dc5);
    expect(fnv1a32('a')).toBe(0xe40c292c);
    expect(fnv1a32('foobar')).toBe(0xbf9cf968);
  });
});

describe('inShard', () => {
  it('puts every example in exactly one shard', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1 }), fc.integer({ min: 1, max: 16 }), (id, count) => {
        const owners = Array.from({ length: count }, (_, i) => i + 1).filter((index) => inShard(id, { index, count }));
        expect(owners).toHaveLength(1);
      }),
    );
  });

  it('spreads ids evenly enough', () => {
    const sizes = [0, 0, 0, 0];
    for (let i = 0; i < 4000; i++) for (let s = 1; s <= 4; s++) if (inShard(`q-${i}`, { index: s, count: 4 })) sizes[s - 1]!++;
    for (const size of sizes) expect(size).toBeGreaterThan(850);
  });

  it('keeps everything without a shard', () => {
    expect(inShard('x', undefined)).toBe(true);
    expect(inShard('x', { index: 1, count: 1 })).toBe(true);
  });
});
