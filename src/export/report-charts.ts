import type { TopLevelSpec } from 'vega-lite';
import type { RunMetrics } from '../../schemas/metrics.ts';
import type { Comparison } from '../compare/comparison.ts';

export interface ReportChartSpec {
  id: string;
  title: string;
  /** One sentence saying how to read the chart. */
  caption: string;
  spec: TopLevelSpec;
}

/** Colours that stay apart in greyscale print and for common colour-vision deficiencies (Okabe–Ito). */
const RUN_COLOURS = ['#0072B2', '#E69F00', '#009E73', '#CC79A7'];
const FONT = 'Helvetica, Arial, sans-serif';
const CONFIG = {
  font: FONT,
  view: { stroke: '#ccc' },
  axis: { labelFontSize: 9, titleFontSize: 9 },
  header: { labelFontSize: 10, labelFontWeight: 'bold' },
} as const;

/**
 * The report's charts as Vega-Lite specs with their data inline:
 * - the mean of every score and annotation metric per run, with its 95% CI (one panel each,
 *   each with its own scale);
 * - each run's difference from the baseline with its paired bootstrap 95% CI, against zero;
 * - total tokens by span type per run (from metrics.json).
 * Runs are labelled by letter (A is the baseline), as in the report's tables.
 */
export function reportChartSpecs(
  comparison: Comparison,
  metrics: ReadonlyArray<RunMetrics | null>,
  letters: readonly string[],
): ReportChartSpec[] {
  const label = (runId: string) => letters[comparison.runs.findIndex((r) => r.id === runId)] ?? runId;
  const colour = {
    field: 'run',
    type: 'nominal',
    title: 'run',
    scale: { domain: [...letters], range: RUN_COLOURS.slice(0, letters.length) },
  } as const;
  const charts: ReportChartSpec[] = [];
  const plotted = comparison.metrics.filter((m) => m.kind !== 'label' && (m.source === 'score' || m.source === 'annotation'));

  const means = plotted.flatMap((m) =>
    m.runs
      .filter((r) => r.mean !== null)
      .map((r) => ({ metric: m.name, run: label(r.run), mean: r.mean, lo: r.ci?.[0] ?? r.mean, hi: r.ci?.[1] ?? r.mean })),
  );
  if (means.length > 0) {
    charts.push({
      id: 'means',
      title: 'Mean of each metric by run, with 95% confidence intervals',
      caption: 'Each panel has its own scale. Pass rates are fractions of the paired examples that passed.',
      spec: {
        $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
        data: { values: means },
        facet: { field: 'metric', type: 'nominal', title: null, sort: plotted.map((m) => m.name) },
        columns: 3,
        spec: {
          width: 150,
          height: 110,
          layer: [
            {
              mark: { type: 'rule', strokeWidth: 2 },
              encoding: {
                x: { field: 'run', type: 'nominal', title: null, axis: { labelAngle: 0 } },
                y: { field: 'lo', type: 'quantitative', title: null, scale: { zero: false }, axis: { format: ',~r' } },
                y2: { field: 'hi' },
                color: colour,
              },
            },
            {
              mark: { type: 'point', filled: true, size: 50 },
              encoding: { x: { field: 'run', type: 'nominal' }, y: { field: 'mean', type: 'quantitative' }, color: colour },
            },
          ],
        },
        resolve: { scale: { y: 'independent' } },
        config: CONFIG,
      } as TopLevelSpec,
    });
  }

  const deltas = plotted.flatMap((m) =>
    m.deltas
      .filter((d) => d.delta !== null)
      .map((d) => ({
        metric: m.name,
        run: label(d.run),
        delta: d.delta,
        lo: d.ci?.[0] ?? d.delta,
        hi: d.ci?.[1] ?? d.delta,
        verdict: d.verdict,
      })),
  );
  if (deltas.length > 0) {
    charts.push({
      id: 'deltas',
      title: `Difference from the baseline (run ${letters[0]}), with paired 95% confidence intervals`,
      caption:
        'An interval that does not cross the dashed zero line is a difference the sample supports; verdicts in the table also correct for the number of metrics compared.',
      spec: {
        $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
        data: { values: deltas },
        facet: { field: 'metric', type: 'nominal', title: null, sort: plotted.map((m) => m.name) },
        columns: 3,
        spec: {
          width: 150,
          height: { step: 18 },
          layer: [
            { mark: { type: 'rule', strokeDash: [4, 3], color: '#888' }, encoding: { x: { datum: 0, type: 'quantitative' } } },
            {
              mark: { type: 'rule', strokeWidth: 2 },
              encoding: {
                y: { field: 'run', type: 'nominal', title: null },
                // ',~r' drops trailing zeros: a panel whose every difference is 0 has one tick, "0", not "0.000000"; no exponents.
                x: { field: 'lo', type: 'quantitative', title: null, axis: { format: ',~r' } },
                x2: { field: 'hi' },
                color: colour,
              },
            },
            {
              mark: { type: 'point', filled: true, size: 50 },
              encoding: { y: { field: 'run', type: 'nominal' }, x: { field: 'delta', type: 'quantitative' }, color: colour },
            },
          ],
        },
        resolve: { scale: { x: 'independent' } },
        config: CONFIG,
      } as TopLevelSpec,
    });
  }

  const tokens = metrics.flatMap((m, i) =>
    m
      ? Object.entries(m.byType)
          .filter(([, g]) => g.totalTokens > 0)
          .map(([type, g]) => ({ type, run: letters[i]!, tokens: g.totalTokens }))
      : [],
  );
  if (tokens.length > 0) {
    charts.push({
      id: 'tokens',
      title: 'Total tokens by span type',
      caption: 'Summed over every span of every trace of each run (metrics.json).',
      spec: {
        $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
        data: { values: tokens },
        width: 420,
        height: { step: 12 },
        mark: 'bar',
        encoding: {
          y: { field: 'type', type: 'nominal', title: null },
          yOffset: { field: 'run', type: 'nominal' },
          x: { field: 'tokens', type: 'quantitative', title: 'tokens' },
          color: colour,
        },
        config: CONFIG,
      } as TopLevelSpec,
    });
  }
  return charts;
}
