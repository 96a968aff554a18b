import { describe, expect, it } from 'vitest';
import { loadCompareReference } from '../compare/__fixtures__/load-reference.ts';
import { holmAdjust } from './holm.ts';

describe('holmAdjust', () => {
  it('matches the step-down formula on the reference cases', () => {
    for (const { p, adjusted } of loadCompareReference().holm) {
      const actual = holmAdjust(p);
      actual.forEach((v, i) => expect(v).toBeCloseTo(adjusted[i]!, 14));
    }
  });

  it('skips nulls without counting them in the family', () => {
    expect(holmAdjust([0.01, null, 0.04])).toEqual([0.02, null, 0.04]);
    expect(holmAdjust([null])).toEqual([null]);
  });

  it('never lowers a p-value and keeps the order', () => {
    const p = [0.2, 0.001, 0.03, 0.03, 0.5];
    const adj = holmAdjust(p) as number[];
    adj.forEach((a, i) => expect(a).toBeGreaterThanOrEqual(p[i]!));
    expect(adj[1]).toBeLessThanOrEqual(adj[2]!);
  });
});
