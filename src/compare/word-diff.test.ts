import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { wordDiff } from './word-diff.ts';

const side = (ops: ReturnType<typeof wordDiff>, keep: 'insert' | 'delete') =>
  ops
    .filter((o) => o.op === 'equal' || o.op === keep)
    .map((o) => o.text)
    .join('');

describe('wordDiff', () => {
  it('marks changed words and keeps the shared ones', () => {
    expect(wordDiff('the quick brown fox', 'the slow brown fox!')).toEqual([
      { op: 'equal', text: 'the ' },
      { op: 'delete', text: 'quick' },
      { op: 'insert', text: 'slow' },
      { op: 'equal', text: ' brown fox' },
      { op: 'insert', text: '!' },
    ]);
    expect(wordDiff('same', 'same')).toEqual([{ op: 'equal', text: 'same' }]);
    expect(wordDiff('', '')).toEqual([]);
  });

  it('rebuilds both texts from any diff and merges neighbours of one kind', () => {
    const words = fc.array(fc.constantFrom('a', 'b', 'c', ' ', 'dé', '.', '\n'), { maxLength: 30 }).map((w) => w.join(''));
    fc.assert(
      fc.property(words, words, (before, after) => {
        const ops = wordDiff(before, after);
        expect(side(ops, 'delete')).toBe(before);
        expect(side(ops, 'insert')).toBe(after);
        // Adjacent operations of one kind are merged.
        ops.slice(1).forEach((o, i) => expect(o.op).not.toBe(ops[i]!.op));
      }),
      { numRuns: 300 },
    );
  });

  it('gives up on a huge edit script as one delete and one insert', () => {
    const a = Array.from({ length: 50 }, (_, i) => `w${i}`).join(' ');
    const b = Array.from({ length: 50 }, (_, i) => `v${i}`).join(' ');
    expect(wordDiff(a, b, 10)).toEqual([
      { op: 'delete', text: a },
      { op: 'insert', text: b },
    ]);
    // With room for the edits the shared spaces are found.
    expect(wordDiff(a, b).filter((o) => o.op === 'equal').length).toBe(49);
  });
});
