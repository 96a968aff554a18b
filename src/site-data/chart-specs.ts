import type { Config, TopLevelSpec } from 'vega-lite';
import type { Bin, ScoreDistribution } from './distribution-bins.ts';

/**
 * Vega-Lite specs of the site's charts. Text and axes use `currentColor`, so one pre-rendered
 * SVG reads in the light and the dark theme; marks use the accent that works on both.
 */
const ACCENT = '#6366f1';
const GOOD = '#16a34a';
const BAD = '#dc2626';

const baseConfig: Config = {
  background: 'transparent',
  font: 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif',
  view: { stroke: null },
  axis: {
    labelColor: 'currentColor',
    titleColor: 'currentColor',
    domainColor: 'currentColor',
    tickColor: 'currentColor',
    gridColor: 'currentColor',
    gridOpacity: 0.12,
    domainOpacity: 0.4,
    tickOpacity: 0.4,
    labelFontSize: 10,
    titleFontSize: 11,
    titleFontWeight: 500,
  },
  legend: { labelColor: 'currentColor', titleColor: 'currentColor' },
  title: { color: 'currentColor', fontSize: 12, fontWeight: 600, anchor: 'start' as const },
  text: { color: 'currentColor' },
};

export function sparklineSpec(points: { index: number; value: number; label: string }[], direction: 'higher' | 'lower'): TopLevelSpec {
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    width: 160,
    height: 36,
    padding: 2,
    data: { values: points },
    config: { ...baseConfig, axis: { disable: true } },
    description: `trend, ${direction} is better`,
    layer: [
      { mark: { type: 'line', color: ACCENT, strokeWidth: 1.5, interpolate: 'monotone' }, encoding: { x: { field: 'index', type: 'quantitative' }, y: { field: 'value', type: 'quantitative', scale: { zero: false } } } },
      { mark: { type: 'point', color: ACCENT, filled: true, size: 14 }, encoding: { x: { field: 'index', type: 'quantitative' }, y: { field: 'value', type: 'quantitative', scale: { zero: false } } } },
    ],
  };
}

export function trendSpec(points: { index: number; value: number; label: string }[], metric: string): TopLevelSpec {
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    width: 640,
    height: 180,
    data: { values: points },
    config: baseConfig,
    encoding: {
      x: { field: 'index', type: 'ordinal', title: 'run (oldest → newest)', axis: { labelExpr: 'datum.value + 1', labelAngle: 0 } },
      y: { field: 'value', type: 'quantitative', title: metric, scale: { zero: false } },
    },
    layer: [
      { mark: { type: 'line', color: ACCENT, strokeWidth: 2 } },
      { mark: { type: 'point', color: ACCENT, filled: true, size: 36 } },
    ],
  };
}

export function histogramSpec(bins: readonly Bin[], title: string, unit = ''): TopLevelSpec {
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    width: 260,
    height: 110,
    title,
    data: { values: bins.map((b) => ({ ...b })) },
    config: baseConfig,
    mark: { type: 'bar', color: ACCENT, binSpacing: 1 },
    encoding: {
      x: { field: 'start', type: 'quantitative', bin: { binned: true }, title: unit || null, axis: { format: '~g' } },
      x2: { field: 'end' },
      y: { field: 'count', type: 'quantitative', title: 'traces' },
    },
  };
}

export function categorySpec(items: { label: string; count: number; good?: boolean | null }[], title: string): TopLevelSpec {
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    width: 260,
    height: { step: 16 },
    title,
    data: { values: items.map((i) => ({ ...i, color: i.good === true ? GOOD : i.good === false ? BAD : ACCENT })) },
    config: baseConfig,
    mark: { type: 'bar' },
    encoding: {
      y: { field: 'label', type: 'nominal', sort: null, title: null, axis: { labelLimit: 120 } },
      x: { field: 'count', type: 'quantitative', title: 'traces' },
      color: { field: 'color', type: 'nominal', scale: null },
    },
  };
}

/** The chart of one score's distribution: a histogram, pass/fail bars or label counts. */
export function distributionSpec(name: string, distribution: ScoreDistribution): TopLevelSpec {
  switch (distribution.kind) {
    case 'number':
      return histogramSpec(distribution.bins, name);
    case 'boolean':
      return categorySpec(
        [
          { label: 'pass', count: distribution.pass, good: true },
          { label: 'fail', count: distribution.fail, good: false },
        ],
        name,
      );
    case 'label':
      return categorySpec(distribution.counts, name);
  }
}
