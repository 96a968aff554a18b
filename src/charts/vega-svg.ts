import * as vega from 'vega';
import type { TopLevelSpec } from 'vega-lite';
import { LabbookError } from '../errors/index.ts';
import { compileVegaLite } from './compile-vega-lite.ts';

/**
 * A loader that loads nothing: our charts carry their data inline, so a spec that names a
 * URL (or a file) is refused rather than fetched while a report is printed or a site built.
 */
const noLoader = vega.loader();
noLoader.load = async (uri: string) => {
  throw new LabbookError(`chart data must be inline; refusing to load ${JSON.stringify(uri)}`);
};
noLoader.sanitize = async (uri: string) => {
  throw new LabbookError(`chart links and images are not allowed; refusing ${JSON.stringify(uri)}`);
};

/**
 * Renders a Vega-Lite spec to an SVG string in Node, without a browser or a canvas: vega's
 * `renderer: 'none'` scenegraph serialised by `toSVG()`. Vega escapes every text and
 * attribute value it writes, so labels taken from run data stay text; that is why this string,
 * and only this string, may be inserted into a report or a page unescaped. The one renderer
 * for the PDF report and the site's static charts.
 */
export async function renderVegaLiteSvg(spec: TopLevelSpec): Promise<string> {
  const view = new vega.View(vega.parse(compileVegaLite(spec)), { renderer: 'none', loader: noLoader, logLevel: vega.None });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}
