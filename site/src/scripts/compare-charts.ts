import type * as Vega from 'vega';
import type { Comparison } from '../../../src/compare/comparison.ts';
import { INTERVAL_DATA, type IntervalPoint } from '../../../src/site-data/chart-specs.ts';
import { LETTERS } from './compare-metrics.ts';
import { basePath, h } from './dom.ts';

type VegaModule = typeof Vega;
let vegaPromise: Promise<VegaModule> | null = null;

/**
 * Vega's own prebuilt bundle, copied into the site at build time (no CDN, and no minute spent
 * re-bundling it), loaded only when a chart is drawn.
 */
function loadVega(src: string): Promise<VegaModule> {
  vegaPromise ??= new Promise<VegaModule>((resolve, reject) => {
    const existing = (globalThis as { vega?: VegaModule }).vega;
    if (existing) return resolve(existing);
    const script = document.createElement('script');
    script.src = `${basePath()}${src}`;
    script.onload = () => {
      const vega = (globalThis as { vega?: VegaModule }).vega;
      if (vega) resolve(vega);
      else reject(new Error('vega did not load'));
    };
    script.onerror = () => reject(new Error(`could not load ${src}`));
    document.head.append(script);
  });
  return vegaPromise;
}

/**
 * The compare page's charts: means and deltas with their intervals, one panel per metric.
 * The Vega specs were compiled at build time (compare/index.astro); the points are filled in here
 * and drawn by Vega's SVG renderer, which builds DOM nodes (no HTML strings).
 */
export async function renderCompareCharts(host: HTMLElement, c: Comparison, specs: { means: object; deltas: object }, vegaSrc: string): Promise<void> {
  const runLabel = (id: string) => {
    const i = c.runs.findIndex((r) => r.id === id);
    return `${LETTERS[i] ?? '?'} · ${c.runs[i]?.name ?? id}`;
  };
  const numeric = c.metrics.filter((m) => m.kind !== 'label');
  const means: IntervalPoint[] = numeric.flatMap((m) =>
    m.runs.filter((r) => r.mean !== null && r.ci).map((r) => ({ metric: m.name, run: runLabel(r.run), value: r.mean!, lo: r.ci![0], hi: r.ci![1], tag: r.run === c.baseline ? 'baseline' : 'run' })),
  );
  const deltas: IntervalPoint[] = numeric.flatMap((m) =>
    m.deltas.filter((d) => d.delta !== null && d.ci).map((d) => ({ metric: m.name, run: runLabel(d.run), value: d.delta!, lo: d.ci![0], hi: d.ci![1], tag: d.verdict })),
  );
  if (means.length === 0) {
    host.replaceChildren(h('p', { class: 'muted' }, 'No numeric metric to chart.'));
    return;
  }
  const vega = await loadVega(vegaSrc);
  host.replaceChildren();
  const draw = async (spec: object, points: IntervalPoint[], label: string) => {
    const canvas = h('div', { 'aria-hidden': 'true' });
    host.append(h('figure', { class: 'chart', role: 'img', 'aria-label': label }, canvas));
    const view = new vega.View(vega.parse(spec as Vega.Spec), { renderer: 'svg', container: canvas, hover: true });
    view.data(INTERVAL_DATA, points);
    await view.runAsync();
  };
  await draw(specs.means, means, 'mean of each metric per run with 95% confidence intervals');
  if (deltas.length > 0) await draw(specs.deltas, deltas, 'difference from the baseline per metric with 95% bootstrap intervals');
}
