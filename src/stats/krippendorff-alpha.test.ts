import { describe, expect, it } from 'vitest';
import { alphaWords, intervalAlpha, nominalAlpha } from './krippendorff-alpha.ts';

// Reference values are those the `krippendorff` Python package (fast-krippendorff) asserts in
// its own tests, for Krippendorff's published examples; PyPI is not reachable here to run it.

/** Krippendorff's example of 3 coders and 15 units with values missing (null), coder by coder. */
const THREE_CODERS: Array<Array<number | null>> = [
  [null, null, null, null, null, 3, 4, 1, 2, 1, 1, 3, 3, null, 3],
  [1, null, 2, 1, 3, 3, 4, 3, null, null, null, null, null, null, null],
  [null, null, 2, 1, 3, 4, 4, null, 2, 1, 1, 3, 3, null, 4],
];

/** Coders' rows turned into units: each unit's values from the coders who judged it. */
function unitsOf<T>(coders: ReadonlyArray<ReadonlyArray<T | null>>): T[][] {
  return coders[0]!.map((_, u) => coders.map((row) => row[u]).filter((value): value is T => value !== null && value !== undefined));
}

describe("Krippendorff's alpha", () => {
  it('matches the reference for nominal data with missing values (0.691358)', () => {
    const result = nominalAlpha(unitsOf(THREE_CODERS).map((values) => values.map(String)));
    expect(result.alpha).toBeCloseTo(0.691358, 6);
    // Units 1, 2 and 14 are judged once or never; of the 12 left, two are judged three times.
    expect(result.units).toBe(12);
    expect(result.pairable).toBe(26);
  });

  it('matches the reference for interval data with missing values (0.810845)', () => {
    expect(intervalAlpha(unitsOf(THREE_CODERS)).alpha).toBeCloseTo(0.810845, 6);
  });

  it('matches the reference for string labels (0.722222)', () => {
    const coders = [
      ['pos', 'neg', 'neu', null],
      ['pos', 'neg', 'neu', 'pos'],
      ['pos', 'neg', 'pos', 'pos'],
    ];
    expect(nominalAlpha(unitsOf(coders)).alpha).toBeCloseTo(0.722222, 6);
  });

  it('is 1 for perfect agreement and undefined when everyone gave the same value', () => {
    const perfect = [
      [1, 1, 1],
      [2, 2, 2],
      [3, 3, 3],
    ];
    expect(intervalAlpha(perfect).alpha).toBe(1);
    expect(nominalAlpha(perfect.map((unit) => unit.map(String))).alpha).toBe(1);
    const constant = [
      [5, 5],
      [5, 5, 5],
    ];
    expect(intervalAlpha(constant)).toMatchObject({ alpha: null, units: 2, pairable: 5 });
    expect(nominalAlpha(constant.map((unit) => unit.map(String)))).toMatchObject({ alpha: null, units: 2 });
  });

  it('is undefined when no unit was judged twice, and ignores units judged once', () => {
    expect(nominalAlpha([['a'], ['b'], []])).toEqual({ alpha: null, observed: null, expected: null, units: 0, pairable: 0 });
    const base = [
      [1, 2],
      [3, 3],
      [4, 5],
    ];
    expect(intervalAlpha([...base, [100], []]).alpha).toBeCloseTo(intervalAlpha(base).alpha!, 12);
  });

  it('is below zero when coders disagree systematically', () => {
    expect(
      nominalAlpha([
        ['yes', 'no'],
        ['no', 'yes'],
        ['yes', 'no'],
      ]).alpha,
    ).toBeLessThan(0);
  });

  it('does not depend on where interval values sit: a shift or a scale leaves it unchanged', () => {
    const units = unitsOf(THREE_CODERS);
    const moved = units.map((values) => values.map((value) => 1e6 + value * 0.01));
    expect(intervalAlpha(moved).alpha).toBeCloseTo(0.810845, 6);
  });

  it('reads α as Krippendorff does', () => {
    expect([0.85, 0.8, 0.7, 0.667, 0.5, -0.2].map(alphaWords)).toEqual([
      'reliable',
      'reliable',
      'tentative',
      'tentative',
      'unreliable',
      'unreliable',
    ]);
  });
});
