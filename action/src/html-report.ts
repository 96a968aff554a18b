import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { RunMetrics } from '../../schemas/metrics.ts';
import type { RunManifest } from '../../schemas/run-manifest.ts';
import { comparePerTrace } from '../../src/compare/per-trace.ts';
import { renderReportHtml } from '../../src/export/render-report.ts';
import { writeTextAtomic } from '../../src/store/atomic-write.ts';
import { readRunMetrics } from '../../src/store/run-reader.ts';
import { TOOL_VERSION } from '../../src/store/version.ts';
import type { BaselineComparison } from './compare-with-baseline.ts';

interface HtmlReportRuns {
  baseline: { dir: string; manifest: RunManifest };
  current: { dir: string; manifest: RunManifest; metrics: RunMetrics };
}

/**
 * Writes the comparison the step made (the one its summary and comment show) as the HTML
 * report `labbook report --format html` writes: one file that opens from disk, for the
 * workflow to upload as an artifact, with the annotations and judges the comparison read from
 * the data branch. Written whole or not at all; returns its size.
 */
export async function writeHtmlReport(compared: BaselineComparison, runs: HtmlReportRuns, file: string, now = new Date()): Promise<number> {
  // Vega (the charts) is loaded only when a report is asked for: most steps never need it.
  const { createReportViewModel } = await import('../../src/export/report-with-charts.ts');
  const perTrace = comparePerTrace(compared.input, { examples: 'matched', diffs: false }, compared.prepared);
  const baselineMetrics = await readRunMetrics(runs.baseline.dir).catch(() => null);
  const view = await createReportViewModel({
    comparison: compared.comparison,
    perTrace,
    runs: [
      { manifest: runs.baseline.manifest, metrics: baselineMetrics, traces: compared.traces[0]! },
      { manifest: runs.current.manifest, metrics: runs.current.metrics, traces: compared.traces[1]! },
    ],
    annotations: compared.annotations,
    judges: compared.judges,
    generatedAt: now,
    toolVersion: TOOL_VERSION,
  });
  const html = renderReportHtml(view);
  await mkdir(dirname(file), { recursive: true });
  await writeTextAtomic(file, [html]);
  return Buffer.byteLength(html);
}
