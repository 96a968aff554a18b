import { describe, expect, it } from 'vitest';
import { histogram, MAX_LABELS, scoreDistribution } from './distribution-bins.ts';
import { formatCost, formatDelta, formatMs, formatScore } from './format.ts';
import { bestIndices } from './metric-values.ts';
import { checkOutDir, normalizeBase } from '../build/build-site.ts';
import { configSummary } from './config-summary.ts';

describe('histogram', () => {
  it('counts every value once, in nice aligned bins', () => {
    const values = Array.from({ length: 1000 }, (_, i) => (i * 7919) % 1234);
    const bins = histogram(values);
    expect(bins.reduce((n, b) => n + b.count, 0)).toBe(1000);
    expect(bins.length).toBeLessThanOrEqual(21);
    for (const b of bins) expect(b.end - b.start).toBeCloseTo(bins[0]!.end - bins[0]!.start);
  });

  it('uses tenths for scores in [0, 1] and one bin for a constant', () => {
    expect(histogram([0, 0.05, 0.5, 1]).map((b) => b.count)).toEqual([2, 0, 0, 0, 0, 1, 0, 0, 0, 1]);
    expect(histogram([3, 3, 3])).toEqual([{ start: 2.5, end: 3.5, count: 3 }]);
    expect(histogram([])).toEqual([]);
  });

  it('folds rare labels into (other)', () => {
    const values = Array.from({ length: 40 }, (_, i) => `l${i % 20}`);
    const d = scoreDistribution({ key: 'k', name: 'n', source: 'score', kind: 'label', direction: null, values: [...values, null] });
    expect(d.kind === 'label' && d.counts.length).toBe(MAX_LABELS + 1);
    expect(d.kind === 'label' && d.counts.at(-1)).toEqual({ label: '(other)', count: 16 });
    expect(d.missing).toBe(1);
  });
});

describe('formatting and best values', () => {
  it('formats durations, costs, rates and deltas', () => {
    expect([formatMs(840), formatMs(1240), formatMs(125_000), formatMs(null)]).toEqual(['840 ms', '1.24 s', '2m 05s', '—']);
    // Sub-millisecond and few-millisecond spans keep a figure that is not "0 ms".
    expect([formatMs(0), formatMs(0.0146), formatMs(0.859), formatMs(4.25), formatMs(7), formatMs(9.96)]).toEqual([
      '0 ms',
      '0.015 ms',
      '0.86 ms',
      '4.3 ms',
      '7 ms',
      '10 ms',
    ]);
    expect([formatCost(0.00123), formatCost(12.5), formatCost(0)]).toEqual(['$0.0012', '$12.50', '$0']);
    expect([formatScore(0.8333, 'boolean'), formatScore(0.51923, 'number')]).toEqual(['83.3%', '0.519']);
    expect([formatDelta(0.05, 'boolean'), formatDelta(-0.0421, 'number')]).toEqual(['+5.0 pp', '−0.0421']);
  });

  it('marks the best value by direction, ties included, only among two or more', () => {
    expect([...bestIndices([0.5, 0.7, 0.7, null], 'higher')]).toEqual([1, 2]);
    expect([...bestIndices([3, 1, 2], 'lower')]).toEqual([1]);
    expect([...bestIndices([3, null], 'higher')]).toEqual([]);
    expect([...bestIndices([2, 2], 'higher')]).toEqual([]);
    expect([...bestIndices([1, 2], null)]).toEqual([]);
  });

  it('summarises a config by model and a few scalar params', () => {
    expect(configSummary({ model: 'gpt-4o', params: { temperature: 0.2, stop: ['x'], top_k: 5 } })).toBe(
      'gpt-4o · temperature=0.2 · top_k=5',
    );
    expect(configSummary(null)).toBe('');
  });
});

describe('site build guards', () => {
  it('refuses to empty a folder that holds the data or the repository', () => {
    const data = { path: '/repo/experiments', what: 'the data folder' };
    expect(() => checkOutDir('/repo', [data])).toThrow(
      '--out /repo would be emptied by the build but holds the data folder (/repo/experiments)',
    );
    expect(() => checkOutDir('/repo/experiments', [data])).toThrow('but is the data folder (/repo/experiments)');
    expect(() => checkOutDir('/', [{ path: '/repo', what: 'the repository' }])).toThrow();
    expect(() => checkOutDir('/repo/_site', [data, { path: '/work/site', what: "the site's sources" }])).not.toThrow();
  });

  it('normalises base paths', () => {
    expect(['', '/', 'repo', '/repo', 'repo/', '/a/b/'].map((b) => normalizeBase(b))).toEqual([
      '/',
      '/',
      '/repo/',
      '/repo/',
      '/repo/',
      '/a/b/',
    ]);
  });
});
