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

/** The name of the data source of an interval chart compiled without its points. */
export const INTERVAL_DATA = 'points';

export interface IntervalPoint {
  metric: string;
  /** Run letter and name, e.g. `B · candidate`. */
  run: string;
  value: number;
  lo: number;
  hi: number;
  /** `better`, `worse`, … for deltas; `baseline` or `run` for means. */
  tag: string;
}

/**
 * A forest plot: one row per run and one panel per metric (each with its own scale), a dot for
 * the value and a bar for its 95% interval; with `zero`, a reference line at 0 (for deltas).
 */
export function intervalSpec(points: IntervalPoint[] | null, title: string, zero: boolean): TopLevelSpec {
  const colors = { domain: ['better', 'worse', 'no detectable difference', 'baseline', 'run'], range: [GOOD, BAD, '#71717a', '#71717a', ACCENT] };
  const layers: object[] = [
    { mark: { type: 'rule', strokeWidth: 2 }, encoding: { x: { field: 'lo', type: 'quantitative', title: null, scale: { zero: false }, axis: { format: '~g' } }, x2: { field: 'hi' }, color: { field: 'tag', type: 'nominal', scale: colors, legend: null } } },
    { mark: { type: 'point', filled: true, size: 50 }, encoding: { x: { field: 'value', type: 'quantitative' }, color: { field: 'tag', type: 'nominal', scale: colors, legend: null }, tooltip: [{ field: 'run' }, { field: 'value', format: '.4~g' }, { field: 'lo', format: '.4~g' }, { field: 'hi', format: '.4~g' }] } },
  ];
  if (zero) layers.unshift({ mark: { type: 'rule', strokeDash: [3, 3], opacity: 0.5, color: 'currentColor' }, encoding: { x: { datum: 0 } } });
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title,
    // Without points the data is a named source filled in later (`view.data(INTERVAL_DATA, …)`).
    data: points ? { values: points } : { name: INTERVAL_DATA },
    config: { ...baseConfig, header: { labelColor: 'currentColor', titleColor: 'currentColor', labelAngle: 0, labelAlign: 'left', labelFontWeight: 600 } },
    facet: { row: { field: 'metric', type: 'nominal', title: null, sort: null } },
    spec: {
      width: 360,
      height: { step: 18 },
      encoding: { y: { field: 'run', type: 'nominal', title: null, sort: null, axis: { labelLimit: 180 } } },
      layer: layers,
    } as never,
    resolve: { scale: { x: 'independent', y: 'independent' } },
  } as TopLevelSpec;
}
