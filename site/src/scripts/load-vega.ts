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
