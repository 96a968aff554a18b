import { createRenderer } from '../render/environment.ts';
import type { ReportViewModel } from './report-view-model.ts';

/**
 * The report as one self-contained HTML document (styles and charts inline), ready for
 * `page.pdf()`; the site's "PDF report" action prints the same layout.
 */
export function renderReportHtml(view: ReportViewModel): string {
  return createRenderer().render('report.njk', view);
}
