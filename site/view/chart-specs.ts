import type { Config, TopLevelSpec } from 'vega-lite';
import type { Verdict } from '#lib/compare/comparison.ts';
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
      {
        mark: { type: 'line', color: ACCENT, strokeWidth: 1.5, interpolate: 'monotone' },
        encoding: { x: { field: 'index', type: 'quantitative' }, y: { field: 'value', type: 'quantitative', scale: { zero: false } } },
      },
      {
        mark: { type: 'point', color: ACCENT, filled: true, size: 14 },
        encoding: { x: { field: 'index', type: 'quantitative' }, y: { field: 'value', type: 'quantitative', scale: { zero: false } } },
      },
    ],
  };
}

/**
 * Tick labels a person reads without effort: at most four significant digits, thousands
 * separated, never e-notation (d3-format's `r` type is decimal notation). Vega-Lite's default
 * `~g`-like labels print `8e+2` and `1.2e+3`.
 */
const AXIS_NUMBER_FORMAT = ',.4~r';

/** The tick format of a metric's axis, by how the metric is shown elsewhere. */
export function axisFormat(format: 'number' | 'boolean' | 'label' | 'ms' | 'count' | 'cost' | 'rate'): string {
  switch (format) {
    case 'boolean':
    case 'rate':
      return '.0%';
    case 'cost':
      return '$,.3~r';
    default:
      return AXIS_NUMBER_FORMAT;
  }
}

/** One run on a trend chart; `text` is the value as the tables show it. */
export interface TrendChartPoint {
  run: string;
  name: string;
  config: string;
  date: string;
  value: number;
  text: string;
}

/**
 * A metric over time, one line per config: runs of different configs are different series, so a
 * change of config never reads as a regression. Hovering a point names the run, its config, its
 * date and the value (the browser draws the interactive version; the build renders it as SVG for
 * pages read without JavaScript).
 */
export function trendSpec(points: TrendChartPoint[], metric: string, format = AXIS_NUMBER_FORMAT): TopLevelSpec {
  // No fixed date format: Vega's multi-scale one labels seconds, hours or days as the runs' spread needs.
  const x = {
    field: 'date',
    type: 'temporal' as const,
    // UTC, as every table of the site: a run must not land on another day in the chart.
    title: 'UTC',
    axis: { labelAngle: 0, labelOverlap: true, tickCount: 6 },
    scale: { type: 'utc' as const, padding: 16 },
  };
  const y = {
    field: 'value',
    type: 'quantitative' as const,
    title: metric,
    scale: { zero: false, nice: false, padding: 10 },
    axis: { format, tickCount: 5 },
  };
  const color = {
    field: 'config',
    type: 'nominal' as const,
    title: 'config',
    legend: { orient: 'bottom' as const, direction: 'horizontal' as const, labelLimit: 200 },
  };
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    width: 640,
    height: 180,
    data: { values: points },
    config: { ...baseConfig, range: { category: [ACCENT, '#0891b2', '#d97706', '#db2777', '#16a34a', '#7c3aed', '#64748b', '#dc2626'] } },
    encoding: { x, y, color },
    layer: [
      { mark: { type: 'line', strokeWidth: 2 } },
      {
        mark: { type: 'point', filled: true, size: 60 },
        encoding: {
          tooltip: [
            { field: 'name', title: 'run' },
            { field: 'config', title: 'config' },
            { field: 'date', type: 'temporal', timeUnit: 'utcyearmonthdatehoursminutes', title: 'date (UTC)', format: '%Y-%m-%d %H:%M' },
            { field: 'text', title: metric },
          ],
        },
      },
    ],
  } as TopLevelSpec;
}

/** Traces are counted in whole numbers: no 0.5 tick on a count axis. */
const COUNT_AXIS = { tickMinStep: 1, format: 'd' };

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
      x: { field: 'start', type: 'quantitative', bin: { binned: true }, title: unit || null, axis: { format: AXIS_NUMBER_FORMAT } },
      x2: { field: 'end' },
      y: { field: 'count', type: 'quantitative', title: 'traces', axis: COUNT_AXIS },
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
      x: { field: 'count', type: 'quantitative', title: 'traces', axis: COUNT_AXIS },
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
  /** A delta's verdict, or `baseline` or `run` for means. */
  tag: keyof typeof INTERVAL_COLORS;
}

const NEUTRAL = '#71717a';
const WARN = '#d97706';

/**
 * The colour of each tag a point can carry: every verdict of a delta (a tag missing here would
 * draw its point and interval with no colour at all, invisibly), and baseline or run for means.
 */
export const INTERVAL_COLORS: Readonly<Record<Verdict | 'baseline' | 'run', string>> = {
  better: GOOD,
  worse: BAD,
  different: WARN,
  'no detectable difference': NEUTRAL,
  'too few to compare': NEUTRAL,
  'not compared': NEUTRAL,
  baseline: NEUTRAL,
  run: ACCENT,
};

/**
 * A forest plot: one row per run and one panel per metric (each with its own scale), a dot for
 * the value and a bar for its 95% interval; with `zero` (deltas), every panel's scale includes 0
 * and draws a dashed line there, so "does the interval cross zero" can be read off every panel.
 * Scales are padded so no point sits on a panel's edge.
 */
export function intervalSpec(points: IntervalPoint[] | null, title: string, zero: boolean): TopLevelSpec {
  const colors = { domain: Object.keys(INTERVAL_COLORS), range: Object.values(INTERVAL_COLORS) };
  // Padding applies before `nice`, which would snap the domain back onto the extreme points.
  const scale = { zero, nice: false, padding: 12 };
  // The run axis is encoded per layer, not for the whole panel: the zero rule has no y, so it
  // spans the panel's height instead of drawing a zero-length line on each run's row.
  const y = { field: 'run', type: 'nominal', title: null, sort: null, axis: { labelLimit: 180 } };
  const layers: object[] = [
    {
      mark: { type: 'rule', strokeWidth: 2 },
      encoding: {
        y,
        x: { field: 'lo', type: 'quantitative', title: null, scale, axis: { format: AXIS_NUMBER_FORMAT, tickCount: 5 } },
        x2: { field: 'hi' },
        color: { field: 'tag', type: 'nominal', scale: colors, legend: null },
      },
    },
    {
      mark: { type: 'point', filled: true, size: 50 },
      encoding: {
        y,
        x: { field: 'value', type: 'quantitative' },
        color: { field: 'tag', type: 'nominal', scale: colors, legend: null },
        tooltip: [
          { field: 'run' },
          { field: 'value', format: AXIS_NUMBER_FORMAT },
          { field: 'lo', format: AXIS_NUMBER_FORMAT },
          { field: 'hi', format: AXIS_NUMBER_FORMAT },
        ],
      },
    },
  ];
  if (zero)
    layers.push({
      mark: { type: 'rule', strokeDash: [4, 3], strokeWidth: 1.5, opacity: 0.8, color: 'currentColor' },
      encoding: { x: { datum: 0, type: 'quantitative' } },
    });
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title,
    // Without points the data is a named source filled in later (`view.data(INTERVAL_DATA, …)`).
    data: points ? { values: points } : { name: INTERVAL_DATA },
    config: {
      ...baseConfig,
      header: { labelColor: 'currentColor', titleColor: 'currentColor', labelAngle: 0, labelAlign: 'left', labelFontWeight: 600 },
    },
    facet: { row: { field: 'metric', type: 'nominal', title: null, sort: null } },
    spec: {
      width: 360,
      height: { step: 18 },
      layer: layers,
    } as never,
    resolve: { scale: { x: 'independent', y: 'independent' } },
  } as TopLevelSpec;
}
