/**
 * Stands in for src/charts/vega-svg.ts in the browser bundles. The compare page builds the PDF
 * report's view model with `buildReportViewModel`, which is pure; its module also holds
 * `createReportViewModel`, which renders charts with vega and vega-lite in Node. The page
 * never calls that (it clones the charts it drew), so vega stays out of the bundle.
 */
export async function renderVegaLiteSvg(): Promise<string> {
  throw new Error('report charts are rendered by "labbook report"; the site prints the charts the compare page drew');
}
