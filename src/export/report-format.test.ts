import { describe, expect, it } from 'vitest';
import { clipText, formatDelta, formatInterval, formatNumber, formatP, formatValue } from './report-format.ts';

describe('report number formats', () => {
  it('reads numbers at a sensible precision', () => {
    expect([1234.56, 215.55, 21.5567, 2.55567, 0.45234, 0.001333, 0.0000005, 1.3e-17, -0.25].map(formatNumber)).toEqual([
      '1,235',
      '215.6',
      '21.56',
      '2.556',
      '0.452',
      '0.00133',
      '5.00e-7',
      '0',
      '-0.25',
    ]);
  });

  it('shows pass rates as percentages and their differences in percentage points', () => {
    expect(formatValue(0.75, 'boolean')).toBe('75.0%');
    expect(formatDelta(0.15, 'boolean')).toBe('+15.0 pp');
    expect(formatDelta(-0.05, 'number')).toBe('−0.05');
    expect(formatDelta(1e-17, 'number')).toBe('±0');
    expect(formatInterval([-0.05, 0.35], 'boolean', true)).toBe('[−5.0, +35.0]');
    expect(formatInterval([0.531, 0.888], 'boolean')).toBe('[53.1%, 88.8%]');
    expect(formatInterval(null, 'number')).toBe('');
    expect(formatValue(null, 'number')).toBe('–');
  });

  it('writes p-values and clips long text', () => {
    expect([formatP(0.0004), formatP(0.1234), formatP(null)]).toEqual(['< 0.001', '0.123', '–']);
    expect(clipText('abcdef', 4)).toBe('abc…');
    expect(clipText({ q: 1 }, 100)).toBe('{"q":1}');
    expect(clipText(undefined, 10)).toBe('');
  });
});
