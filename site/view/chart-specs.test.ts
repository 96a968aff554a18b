import { compile } from 'vega-lite';
import { parse, View } from 'vega';
import { describe, expect, it } from 'vitest';
import { categorySpec, histogramSpec, INTERVAL_COLORS, intervalSpec, trendSpec, type IntervalPoint } from './chart-specs.ts';

/** The fill or stroke colour (hex) of each point and rule a spec draws, rendered headless. */
async function drawnColors(points: IntervalPoint[]): Promise<{ points: string[]; rules: string[] }> {
  const view = new View(parse(compile(intervalSpec(points, 'Δ', true)).spec), { renderer: 'none' });
  const svg = await view.toSVG();
  view.finalize();
  const colorsOf = (role: string) =>
    [...svg.matchAll(new RegExp(`<g class="mark-${role} role-mark[^"]*"[^>]*>(.*?)</g>`, 'gs'))].flatMap((group) =>
      [...group[1]!.matchAll(/<(?:path|line)\b([^>]*)>/g)].map((m) => /(?:fill|stroke)="(#[0-9a-f]{6})"/i.exec(m[1]!)?.[1] ?? 'none'),
    );
  return { points: colorsOf('symbol'), rules: colorsOf('rule') };
}

describe('interval charts', () => {
  it('give every verdict a visible colour, so no delta is drawn invisibly', async () => {
    const tags = Object.keys(INTERVAL_COLORS) as Array<keyof typeof INTERVAL_COLORS>;
    const points = tags.map((tag, i) => ({
      metric: 'latency',
      run: `${String.fromCharCode(66 + i)} · agent`,
      value: i,
      lo: i - 1,
      hi: i + 1,
      tag,
    }));
    const drawn = await drawnColors(points);
    expect(drawn.points).toHaveLength(tags.length);
    expect(drawn.points).not.toContain('none');
    expect(new Set(drawn.points)).toEqual(new Set(Object.values(INTERVAL_COLORS)));
    // Each interval's rule in its point's colour; the one rule left is the dashed zero line.
    expect(drawn.rules.filter((color) => color !== 'none')).toEqual(drawn.points);
  });

  it('count axes tick whole traces only (histograms and pass/fail bars)', async () => {
    for (const [spec, axis] of [
      [
        histogramSpec(
          [
            { start: 0, end: 1, count: 1 },
            { start: 1, end: 2, count: 2 },
          ],
          'latency',
        ),
        'Y-axis',
      ],
      [
        categorySpec(
          [
            { label: 'pass', count: 3, good: true },
            { label: 'fail', count: 2, good: false },
          ],
          'correct',
        ),
        'X-axis',
      ],
    ] as const) {
      const view = new View(parse(compile(spec).spec), { renderer: 'none' });
      const svg = await view.toSVG();
      view.finalize();
      const group = svg.slice(svg.indexOf(`aria-label="${axis}`));
      const labels = [
        ...group.slice(0, group.indexOf('aria-roledescription="axis"', 40) >>> 0).matchAll(/<text[^>]*>([\d.]+)<\/text>/g),
      ].map((m) => m[1]!);
      expect(labels.length, axis).toBeGreaterThan(1);
      expect(
        labels.filter((label) => label.includes('.')),
        axis,
      ).toEqual([]);
    }
  });

  it('puts run dates on a UTC time axis, as the tables print them', () => {
    const spec = compile(
      trendSpec([{ run: 'r', name: 'r', config: 'c', date: '2026-12-06T04:54:00Z', value: 1, text: '1' }], 'correct'),
    ).spec;
    expect(spec.scales?.find((scale) => scale.name === 'x')?.type).toBe('utc');
  });
});
