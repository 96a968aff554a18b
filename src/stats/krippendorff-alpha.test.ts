import { describe, expect, it } from 'vitest';
import { alphaWords, intervalAlpha, MIN_UNITS_FOR_INTERVAL, nominalAlpha } from './krippendorff-alpha.ts';
import { Mulberry32 } from './prng.ts';

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
    expect(nominalAlpha([['a'], ['b'], []])).toEqual({
      alpha: null,
      observed: null,
      expected: null,
      units: 0,
      pairable: 0,
      low: null,
      high: null,
    });
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

  it('gives a bootstrap interval over units around α, reproducible from its seed, and none below 5 units', () => {
    const units = unitsOf(THREE_CODERS);
    const result = intervalAlpha(units);
    expect(result.low!).toBeLessThan(result.alpha!);
    expect(result.high!).toBeGreaterThan(result.alpha!);
    expect(result.high!).toBeLessThanOrEqual(1);
    expect(intervalAlpha(units)).toEqual(result);
    expect(intervalAlpha(units, { seed: 7 }).low).not.toBe(result.low);
    expect(intervalAlpha(units, { resamples: 0 })).toMatchObject({ low: null, high: null, alpha: result.alpha });
    const few = units.filter((values) => values.length >= 2).slice(0, MIN_UNITS_FOR_INTERVAL - 1);
    expect(intervalAlpha(few)).toMatchObject({ low: null, high: null });
    expect(intervalAlpha(few).alpha).not.toBeNull();
    const perfect = Array.from({ length: 8 }, (_, i) => [String(i % 3), String(i % 3)]);
    expect(nominalAlpha(perfect)).toMatchObject({ alpha: 1, low: 1, high: 1 });
  });

  // Coverage: data drawn from a known process, many times; the 95% interval should hold the
  // population's α (estimated once from 100,000 units) in about 95 of 100 samples.
  const random = new Mulberry32(42);
  const uniform = () => random.nextUint32() / 4294967296;
  const normal = () => Math.sqrt(-2 * Math.log(1 - uniform())) * Math.cos(2 * Math.PI * uniform());
  /** Two or three raters per unit (a third judges two units in five). */
  const raters = () => (uniform() < 0.4 ? 3 : 2);

  function coverage(population: number, sample: () => { alpha: number | null; low: number | null; high: number | null }): number {
    let held = 0;
    const samples = 200;
    for (let i = 0; i < samples; i++) {
      const { low, high } = sample();
      if (low !== null && high !== null && low <= population && population <= high) held++;
    }
    return held / samples;
  }

  it('holds the population α about 95% of the time for labels (60 traces a sample)', () => {
    // Each unit has a true label; each rater gives it with probability 0.7, else any of the three.
    const labels = ['approved', 'needs review', 'hallucination'];
    const unit = () => {
      const truth = labels[random.nextIndex(3)]!;
      return Array.from({ length: raters() }, () => (uniform() < 0.7 ? truth : labels[random.nextIndex(3)]!));
    };
    const population = nominalAlpha(Array.from({ length: 100_000 }, unit), { resamples: 0 }).alpha!;
    expect(population).toBeGreaterThan(0.4);
    expect(population).toBeLessThan(0.7);
    const held = coverage(population, () => nominalAlpha(Array.from({ length: 60 }, unit), { resamples: 400, seed: random.nextUint32() }));
    expect(held).toBeGreaterThanOrEqual(0.88);
    expect(held).toBeLessThanOrEqual(0.99);
  });

  it('holds the population α about 95% of the time for scores (60 traces a sample)', () => {
    // A true score per unit, N(0, 1); each rater adds N(0, 0.6²): α near 1 / 1.36.
    const unit = () => {
      const truth = normal();
      return Array.from({ length: raters() }, () => truth + 0.6 * normal());
    };
    const population = intervalAlpha(Array.from({ length: 100_000 }, unit), { resamples: 0 }).alpha!;
    expect(population).toBeCloseTo(1 / 1.36, 1);
    const held = coverage(population, () => intervalAlpha(Array.from({ length: 60 }, unit), { resamples: 400, seed: random.nextUint32() }));
    expect(held).toBeGreaterThanOrEqual(0.88);
    expect(held).toBeLessThanOrEqual(0.99);
  });
});
