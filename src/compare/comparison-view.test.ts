import { describe, expect, it } from 'vitest';
import { makeExperiment, makeRun } from './__fixtures__/make-runs.ts';
import { compareRuns } from './compare-runs.ts';
import { comparisonView } from './comparison-view.ts';
import { renderComparisonMarkdown, renderComparisonText } from './render-comparison.ts';

const rows = (k: number) =>
  Array.from({ length: 40 }, (_, i) => ({
    example: `e${i}`,
    scores: { ok: (i + k * 7) % 10 < 5 + k * 4, tone: i % 2 ? 'a|b' : 'c' },
    latency: 100 + i - k * 30,
  }));

describe('comparisonView', () => {
  const comparison = compareRuns({
    runs: [makeRun('base', rows(0), { config: { model: 'x' } }), makeRun('next', rows(1), { config: { model: 'y' } })],
    experiment: makeExperiment({ metrics: [{ name: 'ok', direction: 'higher', kind: 'boolean' }] }),
    options: { resamples: 200 },
  });
  const view = comparisonView(comparison);

  it('letters the runs, signs the deltas and shortens tiny p-values', () => {
    expect(view.legend.map((l) => [l.letter, l.run])).toEqual([
      ['A', 'base'],
      ['B', 'next'],
    ]);
    const ok = view.rows.findIndex((r) => r.metric === 'ok *');
    expect(view.rows[ok]).toMatchObject({ run: 'A', n: '40', mean: '50.0% [35.2%, 64.8%]', verdict: 'baseline', delta: '' });
    expect(view.rows[ok + 1]).toMatchObject({
      run: 'B',
      n: '',
      delta: '+40.0 pp [+24.9, +60.0]',
      test: 'mcnemar-exact',
      p: '0.0015',
      verdict: 'better',
    });
    const latency = view.rows.findIndex((r) => r.metric === 'latency (ms)');
    expect(view.rows[ok]!.direction).toBe('higher is better');
    expect(view.rows[latency]!.direction).toBe('lower is better');
    expect(view.rows[latency + 1]).toMatchObject({ delta: '-30 [-30, -30]', p: '<0.001', verdict: 'better' });
    expect(view.config).toEqual(['B vs A: model "x" → "y"']);
    expect(view.footnote).toMatch(/200 resamples, seed 20240611/);
  });

  it('renders the same rows as text and as markdown, escaping pipes', () => {
    const text = renderComparisonText(view);
    expect(text).toMatch(/^Comparison of 2 runs of exp, against A/);
    expect(text).toMatch(/alignment\n {2}40 of 40 examples are in every run/);
    const md = renderComparisonMarkdown(view);
    // Header, rule, one line per row.
    expect(md.match(/^\| /gm)!.length).toBe(2 + view.rows.length);
    expect(md).toContain('a\\|b 20');
  });
});
