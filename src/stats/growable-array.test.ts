import { describe, expect, it } from 'vitest';
import { GrowableFloat64Array } from './growable-array.ts';

describe('GrowableFloat64Array', () => {
  it('keeps every value across growth', () => {
    const a = new GrowableFloat64Array(2);
    for (let i = 0; i < 1000; i++) a.push(i * 0.5);
    expect(a.length).toBe(1000);
    const v = a.view();
    expect(v.length).toBe(1000);
    expect(v[0]).toBe(0);
    expect(v[999]).toBe(499.5);
  });
});
