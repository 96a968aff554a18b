import type * as Vega from 'vega';
import { expressionInterpreter } from 'vega-interpreter';
import { basePath } from './dom.ts';

type VegaModule = typeof Vega;
let vegaPromise: Promise<VegaModule> | null = null;

/**
 * Vega's own prebuilt bundle, copied into the site at build time (no CDN, and no minute spent
 * re-bundling it), loaded only when a chart is drawn.
 */
export function loadVega(src = 'vendor/vega.min.js'): Promise<VegaModule> {
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
 * A Vega view that evaluates the spec's expressions with vega-interpreter instead of compiling
 * them with `new Function`, so pages with charts keep a Content-Security-Policy without
 * 'unsafe-eval'. Vega's SVG renderer builds DOM nodes, so labels from data stay text.
 */
export function createView(vega: VegaModule, spec: object, container: HTMLElement): Vega.View {
  const runtime = vega.parse(spec as Vega.Spec, undefined, { ast: true });
  const view = new vega.View(runtime, { renderer: 'svg', container, hover: true, expr: expressionInterpreter } as Vega.ViewOptions);
  view.tooltip(chartTooltip(container));
  return view;
}

type PlotWidth = 'width' | 'child_width';

/**
 * Lays a drawn chart out to its box's width whenever the chart is wider, and again when the box
 * changes width (a phone turned sideways): the plot gets narrower, so a phone shows the chart
 * whole with its text at full size (scaled down to fit, a 700 px chart's labels would be 5 px
 * high). Axes, labels and legends keep their size; the plot keeps at least `minPlot` pixels,
 * below which the chart's box scrolls. A chart that fits keeps the width its spec gives it.
 * `signal` is the plot's width: `width` for a single chart, `child_width` for each panel of a
 * faceted one.
 */
export function fitToBox(view: Vega.View, box: HTMLElement, signal: PlotWidth = 'width', minPlot = 160): Promise<void> {
  const natural = Number(view.signal(signal));
  let width = box.clientWidth;
  let fitting = narrowTo(view, width, signal, minPlot);
  new ResizeObserver(() => {
    if (box.clientWidth === width || box.clientWidth === 0) return;
    width = box.clientWidth;
    fitting = fitting.then(async () => {
      view.signal(signal, natural);
      await view.resize().runAsync();
      await narrowTo(view, width, signal, minPlot);
    });
  }).observe(box);
  return fitting;
}

async function narrowTo(view: Vega.View, available: number, signal: PlotWidth, minPlot: number): Promise<void> {
  // Narrower ticks can relabel an axis a few pixels wider: measure again, at most three times.
  for (let attempt = 0; attempt < 3; attempt++) {
    const drawn = Number(view.container()?.querySelector('svg')?.getAttribute('width'));
    if (!(available > 0) || !(drawn > available)) return;
    const plot = Number(view.signal(signal));
    const narrower = Math.max(minPlot, Math.floor(plot - (drawn - available)));
    if (narrower >= plot) return;
    view.signal(signal, narrower);
    // Without resize(), Vega's "pad" sizing lets a view grow but never shrink.
    await view.resize().runAsync();
  }
}

/**
 * Tooltips as a small box beside the pointer, written with textContent. Vega's default handler
 * sets the `title` attribute, which browsers show late and screen readers ignore.
 */
function chartTooltip(container: HTMLElement): Vega.TooltipHandler {
  let box: HTMLElement | null = null;
  return (_handler, event, _item, value) => {
    if (value === null || value === undefined || value === '') {
      box?.remove();
      box = null;
      return;
    }
    if (!box) {
      box = document.createElement('div');
      box.className = 'chart-tooltip';
      box.setAttribute('role', 'tooltip');
      container.append(box);
    }
    box.replaceChildren();
    const entries = typeof value === 'object' ? Object.entries(value as Record<string, unknown>) : [['', value]];
    for (const [key, text] of entries) {
      const line = document.createElement('div');
      if (key) {
        const name = document.createElement('span');
        name.className = 'muted';
        name.textContent = `${key}: `;
        line.append(name);
      }
      line.append(String(text));
      box.append(line);
    }
    const bounds = container.getBoundingClientRect();
    const mouse = event as MouseEvent;
    box.style.left = `${Math.min(mouse.clientX - bounds.left + 12, bounds.width - 180)}px`;
    box.style.top = `${mouse.clientY - bounds.top + 12}px`;
  };
}
