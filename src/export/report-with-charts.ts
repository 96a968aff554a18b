import { renderVegaLiteSvg } from '../charts/vega-svg.ts';
import { reportChartSpecs, type ReportChartSpec } from './report-charts.ts';
import { buildReportViewModel, LETTERS, type ReportInput, type ReportViewModel } from './report-view-model.ts';

/** Everything the report shows, computed and formatted, with its charts rendered to SVG: the template only lays it out. */
export async function createReportViewModel(input: ReportInput): Promise<ReportViewModel> {
  const letters = LETTERS.slice(0, input.comparison.runs.length);
  const specs = reportChartSpecs(
    input.comparison,
    input.runs.map((r) => r.metrics),
    letters,
  );
  const charts = await Promise.all(
    specs.map(async (chart: ReportChartSpec) => ({
      id: chart.id,
      title: chart.title,
      caption: chart.caption,
      svg: hiddenFromAssistiveTech(await renderVegaLiteSvg(chart.spec)),
    })),
  );
  return buildReportViewModel(input, charts);
}

/**
 * Vega gives every mark group an ARIA role without a name; screen readers would walk hundreds of
 * unnamed nodes. The template names each chart once (role="img" with its title) and the drawing
 * underneath is hidden from assistive technology, as the site's charts are (Chart.astro).
 */
function hiddenFromAssistiveTech(svg: string): string {
  return svg.replace(/^<svg /, '<svg aria-hidden="true" focusable="false" ');
}
