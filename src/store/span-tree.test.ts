import { describe, expect, it } from 'vitest';
import type { Trace } from '../../schemas/trace.ts';
import { checkSpanTree } from './span-tree.ts';

/** A trace of spans given as [id, parentId] pairs; only the tree matters to the check. */
function traceOf(pairs: Array<[string, string | null]>): Trace {
  return { id: 't', spans: pairs.map(([id, parentId]) => ({ id, parentId })) } as unknown as Trace;
}

const kinds = (trace: Trace) => checkSpanTree(trace).map(({ kind, spanId }) => `${kind} ${spanId}`);

describe('checkSpanTree', () => {
  it('finds nothing wrong with a tree, whatever order its spans come in', () => {
    expect(
      kinds(
        traceOf([
          ['c', 'b'],
          ['a', null],
          ['b', 'a'],
          ['d', 'a'],
          ['e', 'c'],
        ]),
      ),
    ).toEqual([]);
  });

  it('names a duplicate id and an orphan', () => {
    expect(
      kinds(
        traceOf([
          ['a', null],
          ['b', 'a'],
          ['b', 'a'],
          ['c', 'gone'],
        ]),
      ),
    ).toEqual(['duplicate-span-id b', 'orphan-span c']);
  });

  it('names each cycle once, where the walk from the first span that reaches it closes it', () => {
    // x → y → z → x, with w hanging below it; s is its own parent; a tree beside them.
    const trace = traceOf([
      ['w', 'x'],
      ['x', 'z'],
      ['root', null],
      ['y', 'x'],
      ['z', 'y'],
      ['s', 's'],
      ['leaf', 'root'],
    ]);
    expect(kinds(trace)).toEqual(['parent-cycle x', 'parent-cycle s']);
    expect(checkSpanTree(trace)[0]!.message).toBe('span "x" is its own ancestor (parent ids form a cycle)');
  });

  it('walks a long chain once per span, not once per span per ancestor', () => {
    const chain: Array<[string, string | null]> = [['0', null]];
    for (let i = 1; i < 50_000; i++) chain.push([String(i), String(i - 1)]);
    chain.reverse(); // every walk starts at the deepest span not yet settled
    expect(kinds(traceOf(chain))).toEqual([]);
  });
});
