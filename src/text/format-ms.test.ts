import { describe, expect, it } from 'vitest';
import { formatMs } from './format-ms.ts';

describe('formatMs', () => {
  it('keeps a short span from reading 0 ms, and writes longer ones in seconds, then minutes', () => {
    expect([0.4, 0.0146, 4.25, 7, 412].map(formatMs)).toEqual(['0.4 ms', '0.015 ms', '4.3 ms', '7 ms', '412 ms']);
    expect([1250, 12_400, 125_000].map(formatMs)).toEqual(['1.25 s', '12.4 s', '2m 05s']);
  });

  it('writes a dash for a missing or non-finite duration', () => {
    expect([null, undefined, Number.NaN, Number.POSITIVE_INFINITY].map(formatMs)).toEqual(['—', '—', '—', '—']);
  });
});
