import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import { LabbookError } from '../errors/index.ts';

/**
 * A loader that loads nothing: report charts carry their data inline, so a spec that names a
 * URL (or a file) is refused rather than fetched while a report is printed.
 */
const noLoader = vega.loader();
noLoader.load = async (uri: string) => {
  throw new LabbookError(`chart data must be inline; refusing to load ${JSON.stringify(uri)}`);
};
noLoader.sanitize = async (uri: string) => {
  throw new LabbookError(`chart links and images are not allowed; refusing ${JSON.stringify(uri)}`);
};

/** Collects vega-lite's compile warnings instead of printing them from library code. */
function quietLogger(warnings: string[]) {
  const logger = {
    level: () => logger,
    error: (...args: unknown[]) => (warnings.push(args.map(String).join(' ')), logger),
    warn: (...args: unknown[]) => (warnings.push(args.map(String).join(' ')), logger),
    info: () => logger,
    debug: () => logger,
  };
  return logger as unknown as NonNullable<Parameters<typeof compile>[1]>['logger'];
}

/**
 * Renders a Vega-Lite spec to an SVG string in Node, without a browser or a canvas: vega's
 * `renderer: 'none'` scenegraph serialised by `toSVG()`. Vega escapes every text and
 * attribute value it writes, so labels taken from run data stay text; that is why this string,
 * and only this string, may be inserted into a report unescaped.
 */
export async function renderVegaLiteSvg(spec: TopLevelSpec): Promise<string> {
  const warnings: string[] = [];
  const compiled = compile(spec, { logger: quietLogger(warnings) }).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: 'none', loader: noLoader, logLevel: vega.None });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}
