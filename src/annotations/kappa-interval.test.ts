import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { closeTo } from '../stats/__fixtures__/load-reference.ts';
import { cohenKappaInterval } from './kappa-interval.ts';

interface Case {
  judge: string[];
  human: string[];
  kappa: number;
  se: number;
  low: number;
  high: number;
}

// Computed by scripts/reference-stats/make_kappa_interval_reference.py (statsmodels' cohens_kappa).
const reference = JSON.parse(
  readFileSync(new URL('../stats/__fixtures__/statsmodels-kappa-interval-reference.json', import.meta.url), 'utf8'),
) as { cases: Case[] };

const near = (actual: number | null, expected: number) => {
  expect(actual).not.toBeNull();
  expect(closeTo(actual!, expected, 1e-9, 1e-12), `${actual} vs statsmodels ${expected}`).toBe(true);
};

describe("Cohen's kappa interval (Fleiss, Cohen & Everitt 1969) against statsmodels", () => {
  it.each(reference.cases.map((c) => [c.judge.length, c] as const))('n = %i', (_n, c) => {
    const result = cohenKappaInterval(c.judge.map((j, i) => [j, c.human[i]!] as const));
    near(result.kappa, c.kappa);
    near(result.se, c.se);
    // statsmodels does not clamp; κ cannot leave [−1, 1], so the interval here does not either.
    near(result.low, Math.max(-1, c.low));
    near(result.high, Math.min(1, c.high));
  });

  it('has no interval when κ is undefined or there is one item', () => {
    expect(
      cohenKappaInterval([
        ['a', 'a'],
        ['a', 'a'],
      ]),
    ).toMatchObject({ kappa: null, se: null, low: null, high: null });
    expect(cohenKappaInterval([['a', 'b']])).toMatchObject({ se: null, low: null, high: null });
  });

  it('has no interval when one rater used a single label (κ is 0 by construction there)', () => {
    const result = cohenKappaInterval([
      ['tool', 'tool'],
      ['tool', 'tool'],
      ['tool', 'extractive'],
      ['tool', 'tool'],
    ]);
    expect(result).toMatchObject({ kappa: 0, se: null, low: null, high: null });
  });

  it('narrows as the same agreement is seen on more items', () => {
    const few = cohenKappaInterval([
      ['a', 'a'],
      ['b', 'b'],
      ['a', 'b'],
      ['b', 'b'],
    ]);
    const many = cohenKappaInterval(
      Array.from(
        { length: 25 },
        () =>
          [
            ['a', 'a'],
            ['b', 'b'],
            ['a', 'b'],
            ['b', 'b'],
          ] as const,
      ).flat(),
    );
    expect(many.kappa).toBeCloseTo(few.kappa!, 12);
    expect(many.high! - many.low!).toBeLessThan((few.high! - few.low!) / 4);
  });
});
