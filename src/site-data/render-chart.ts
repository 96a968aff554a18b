import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import { QUIET } from './compile-chart.ts';

/**
 * Renders a Vega-Lite spec to an SVG string in Node, at build time. Vega's SVG serializer
 * escapes every text and attribute value, so labels from trace data stay text. Pages inline
 * the result; browsers need no chart library for the static pages.
 */
export async function renderChartSvg(spec: TopLevelSpec): Promise<string> {
  const view = new vega.View(vega.parse(compile(spec, { logger: QUIET }).spec), { renderer: 'none' });
  try {
    const svg = await view.toSVG();
    // The wrapping element carries the accessible name (see Chart.astro); the drawing is decoration.
    return svg.replace(/^<svg /, '<svg aria-hidden="true" focusable="false" ');
  } finally {
    view.finalize();
  }
}
