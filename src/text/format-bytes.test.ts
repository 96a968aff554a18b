import { describe, expect, it } from 'vitest';
import { formatBytes } from './format-bytes.ts';

describe('formatBytes', () => {
  it('picks the unit that keeps the figure readable', () => {
    expect([0, 1, 1023].map(formatBytes)).toEqual(['0 bytes', '1 byte', '1023 bytes']);
    expect(formatBytes(1024)).toBe('1.0 KiB');
    expect(formatBytes(3.5 * 1024)).toBe('3.5 KiB');
    expect(formatBytes(100 * 1024 * 1024)).toBe('100.0 MiB');
    expect(formatBytes(1.25 * 1024 ** 3)).toBe('1.3 GiB');
    expect(formatBytes(2 * 1024 ** 5)).toBe('2048.0 TiB');
  });
});
