import { createView, fitToBox, loadVega } from './load-vega.ts';

/**
 * Upgrades the experiment page's trend charts (rendered as static SVG at build time) to
 * interactive ones with tooltips, from the compiled Vega spec each figure carries. When Vega
 * cannot load, the static chart stays.
 */
export async function initTrendCharts(): Promise<void> {
  const figures = [...document.querySelectorAll<HTMLElement>('figure[data-vega-spec]')];
  if (figures.length === 0) return;
  const vega = await loadVega();
  for (const figure of figures) {
    const canvas = document.createElement('div');
    canvas.className = 'chart-canvas';
    canvas.setAttribute('aria-hidden', 'true');
    const view = createView(vega, JSON.parse(figure.dataset.vegaSpec!), canvas);
    await view.runAsync();
    figure.replaceChildren(canvas);
    await fitToBox(view, figure);
    figure.dataset.interactive = 'true';
  }
}
