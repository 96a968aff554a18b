import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { passAtK, passHatK } from './pass-at-k.ts';

const ref = JSON.parse(readFileSync(new URL('./__fixtures__/pass-at-k-reference.json', import.meta.url), 'utf8')) as {
  cases: Array<{ n: number; c: number; k: number; passAtK: number; passHatK: number }>;
};

describe('pass@k and pass^k', () => {
  it('by hand: 3 trials, 1 pass — pass@2 = 1 − C(2,2)/C(3,2) = 2/3, pass^2 = C(1,2)/C(3,2) = 0, pass@1 = pass^1 = 1/3', () => {
    expect(passAtK(3, 1, 2)).toBeCloseTo(2 / 3, 15);
    expect(passHatK(3, 1, 2)).toBe(0);
    expect(passAtK(3, 1, 1)).toBeCloseTo(1 / 3, 15);
    expect(passHatK(3, 1, 1)).toBeCloseTo(1 / 3, 15);
  });

  it(`matches exact binomial coefficients (scripts/reference-stats/make_pass_at_k_reference.py, ${ref.cases.length} cases)`, () => {
    for (const c of ref.cases) {
      expect(Math.abs(passAtK(c.n, c.c, c.k) - c.passAtK)).toBeLessThan(1e-12);
      expect(Math.abs(passHatK(c.n, c.c, c.k) - c.passHatK)).toBeLessThan(1e-12);
    }
  });

  it('refuses k outside 1..n', () => {
    expect(() => passAtK(3, 1, 4)).toThrow(RangeError);
    expect(() => passHatK(3, 1, 0)).toThrow(RangeError);
  });
});
