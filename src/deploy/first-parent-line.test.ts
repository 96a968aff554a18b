import { describe, expect, it } from 'vitest';
import { onFirstParentLine } from './first-parent-line.ts';

// main: A ← M1 ← M2 (tip); M1 merges the pull request's P1 ← P2 (second parent P2) into A.
const ahead = new Map<string, string | undefined>([
  ['P1', 'A'],
  ['P2', 'P1'],
  ['M1', 'A'],
  ['M2', 'M1'],
]);

describe('onFirstParentLine', () => {
  it("says yes for the tip and for every commit the branch moved through, no for a merged pull request's own commits", () => {
    expect(onFirstParentLine('M2', 'M2', new Map(), true)).toBe(true);
    expect(onFirstParentLine('M2', 'M1', new Map([['M2', 'M1']]), true)).toBe(true);
    expect(onFirstParentLine('M2', 'A', new Map([...ahead].filter(([sha]) => sha !== 'A')), true)).toBe(true);
    // compare P2...M2 lists what M2 reaches and P2 does not: M1 and M2
    expect(
      onFirstParentLine(
        'M2',
        'P2',
        new Map([
          ['M1', 'A'],
          ['M2', 'M1'],
        ]),
        true,
      ),
    ).toBe(false);
    expect(
      onFirstParentLine(
        'M2',
        'P1',
        new Map([
          ['M1', 'A'],
          ['M2', 'M1'],
          ['P2', 'P1'],
        ]),
        true,
      ),
    ).toBe(false);
  });

  it('does not know when the list was cut short before the line reached the commit', () => {
    expect(onFirstParentLine('M2', 'A', new Map([['M2', 'M1']]), false)).toBeNull();
    expect(onFirstParentLine('M2', 'A', new Map([['M2', 'M1']]), true)).toBe(false);
  });

  it('ends on a root commit or a cycle in a malformed answer', () => {
    expect(onFirstParentLine('M2', 'X', new Map([['M2', undefined]]), true)).toBe(false);
    expect(
      onFirstParentLine(
        'M2',
        'X',
        new Map([
          ['M2', 'M1'],
          ['M1', 'M2'],
        ]),
        true,
      ),
    ).toBe(false);
  });
});
