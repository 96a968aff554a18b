import { describe, expect, it } from 'vitest';
import { closeTo, loadScipyReference } from './__fixtures__/load-reference.ts';
import { moments } from './moments.ts';

describe('moments', () => {
  it('matches numpy mean and std(ddof=1)', () => {
    for (const sample of loadScipyReference().descriptive) {
      const m = moments(sample.values);
      expect(closeTo(m.mean as number, sample.mean, 1e-13, 1e-15)).toBe(true);
      if (sample.std === null) expect(m.std).toBeNull();
      else expect(closeTo(m.std as number, sample.std, 1e-12, 1e-15), `${m.std} vs ${sample.std}`).toBe(true);
    }
  });

  it('stays exact for large offsets where the one-pass formula cancels', () => {
    const m = moments([1e9 + 4, 1e9 + 7, 1e9 + 13, 1e9 + 16]);
    expect(m.std).toBeCloseTo(Math.sqrt(30), 9);
  });

  it('gives nulls for an empty sample and no std for one value; honours an explicit length', () => {
    expect(moments([])).toEqual({ n: 0, mean: null, std: null });
    expect(moments([4])).toEqual({ n: 1, mean: 4, std: null });
    expect(moments(new Float64Array([1, 3, 99]), 2)).toEqual({ n: 2, mean: 2, std: Math.SQRT2 });
  });
});
