import type { Comparison } from '#lib/compare/comparison.ts';
import { INTERVAL_DATA, type IntervalPoint } from '#site/view/chart-specs.ts';
import { type ChartData, chartDataText, intervalData } from '#site/view/chart-data.ts';
import { metricLabel } from '#lib/compare/metric-words.ts';
import { LETTERS } from './compare-metrics.ts';
import { h } from './dom.ts';
import { createView, fitToBox, loadVega } from './load-vega.ts';

/**
 * The compare page's charts: means and deltas with their intervals, one panel per metric.
 * The Vega specs were compiled at build time (compare/index.astro); the points are filled in here
 * and drawn by Vega's SVG renderer, which builds DOM nodes (no HTML strings).
 */
export async function renderCompareCharts(
  host: HTMLElement,
  c: Comparison,
  specs: { means: object; deltas: object },
  vegaSrc: string,
): Promise<void> {
  const runLabel = (id: string) => {
    const i = c.runs.findIndex((r) => r.id === id);
    return `${LETTERS[i] ?? '?'} · ${c.runs[i]?.name ?? id}`;
  };
  const numeric = c.metrics.filter((m) => m.kind !== 'label');
  const means: IntervalPoint[] = numeric.flatMap((m) =>
    m.runs
      .filter((r) => r.mean !== null && r.ci)
      .map((r) => ({
        metric: metricLabel(m),
        run: runLabel(r.run),
        value: r.mean!,
        lo: r.ci![0],
        hi: r.ci![1],
        tag: r.run === c.baseline ? 'baseline' : 'run',
      })),
  );
  const deltas: IntervalPoint[] = numeric.flatMap((m) =>
    m.deltas
      .filter((d) => d.delta !== null && d.ci)
      .map((d) => ({ metric: metricLabel(m), run: runLabel(d.run), value: d.delta!, lo: d.ci![0], hi: d.ci![1], tag: d.verdict })),
  );
  if (means.length === 0) {
    host.replaceChildren(h('p', { class: 'muted' }, 'No numeric metric to chart.'));
    return;
  }
  const vega = await loadVega(vegaSrc);
  host.replaceChildren();
  const draw = async (spec: object, points: IntervalPoint[], id: string, label: string, data: ChartData) => {
    const canvas = h('div', { 'aria-hidden': 'true' });
    const figure = h('figure', { class: 'chart', role: 'img', 'aria-label': label, 'aria-describedby': id }, canvas);
    host.append(h('div', { class: 'chart-block' }, figure, chartNumbers(id, label, data)));
    const view = createView(vega, spec, canvas);
    view.data(INTERVAL_DATA, points);
    await view.runAsync();
    await fitToBox(view, host, 'child_width');
  };
  await draw(specs.means, means, 'cmp-means-data', 'mean of each metric per run with 95% confidence intervals', intervalData(means, false));
  if (deltas.length > 0)
    await draw(
      specs.deltas,
      deltas,
      'cmp-deltas-data',
      'difference from the baseline per metric with 95% bootstrap intervals',
      intervalData(deltas, true),
    );
}

/**
 * A chart's numbers as the hidden sentence its figure is described by, and as a table in a "Data"
 * disclosure under it: the twin of components/ChartData.astro for the charts drawn here.
 */
function chartNumbers(id: string, name: string, data: ChartData): DocumentFragment {
  const fragment = document.createDocumentFragment();
  fragment.append(h('p', { id, hidden: true }, chartDataText(data)));
  fragment.append(
    h(
      'details',
      { class: 'chart-data' },
      h('summary', null, 'Data', h('span', { class: 'visually-hidden' }, ` of ${name}`)),
      h(
        'div',
        { class: 'table-wrap' },
        h(
          'table',
          { class: 'data' },
          h('caption', { class: 'visually-hidden' }, name),
          h('thead', null, h('tr', null, ...data.columns.map((c) => h('th', { scope: 'col' }, c)))),
          h('tbody', null, ...data.rows.map((row) => h('tr', null, ...row.map((cell) => h('td', null, cell))))),
        ),
      ),
    ),
  );
  return fragment;
}
