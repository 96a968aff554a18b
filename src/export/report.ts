import type { FileFormatError } from '../errors/index.ts';
import type { Problem } from '../errors/problem.ts';
import { compareRuns, MAX_RUNS, MIN_RUNS, prepareComparison } from '../compare/compare-runs.ts';
import { loadCompareInput } from '../compare/load-compare-input.ts';
import { comparePerTrace } from '../compare/per-trace.ts';
import { judgesPerRun } from '../compare/judges-per-run.ts';
import { UsageError } from '../errors/index.ts';
import { readRunMetrics } from '../store/run-reader.ts';
import { findRun } from '../store/store.ts';
import { TOOL_VERSION } from '../store/version.ts';
import { writePdf, type Paper } from './print-pdf.ts';
import { renderReportHtml } from './render-report.ts';
import type { ReportViewModel } from './report-view-model.ts';
import { writeTextAtomic } from '../store/atomic-write.ts';
import { createReportViewModel } from './report-with-charts.ts';

export interface ReportOptions {
  dataDir: string;
  /** 2–4 run ids (or unique prefixes); the first is the baseline. */
  runIds: readonly string[];
  now?: Date;
  /** Called for each annotation file or entry that could not be used (it is left out). */
  onAnnotationProblem?: (problem: Problem) => void;
  /** Called for each invalid or repeated trace line (it is left out); without it, it throws. */
  onTraceSkipped?: (error: FileFormatError) => void;
}

/**
 * Loads the runs, compares them with the compare engine and builds the report's view model.
 * Fewer than 2 or more than 4 runs is a UsageError before anything is read.
 */
export async function buildReport(options: ReportOptions): Promise<ReportViewModel> {
  const { runIds } = options;
  if (runIds.length < MIN_RUNS || runIds.length > MAX_RUNS) {
    throw new UsageError(`a report compares ${MIN_RUNS} to ${MAX_RUNS} runs, got ${runIds.length}`);
  }
  const { traces, ...input } = await loadCompareInput(options.dataDir, runIds, {
    onAnnotationProblem: options.onAnnotationProblem,
    onTraceSkipped: options.onTraceSkipped,
  });
  const prepared = prepareComparison(input);
  const comparison = compareRuns(input, prepared);
  const perTrace = comparePerTrace(input, { examples: 'matched', diffs: false }, prepared);
  const runs = await Promise.all(
    input.runs.map(async (run, r) => {
      const { dir } = await findRun(options.dataDir, run.manifest.id);
      const metrics = run.manifest.status === 'running' ? null : await readRunMetrics(dir).catch(() => null);
      return { manifest: run.manifest, metrics, traces: traces[r]! };
    }),
  );
  return createReportViewModel({
    comparison,
    perTrace,
    runs,
    annotations: input.annotations ?? [],
    judges: judgesPerRun(
      comparison.runs.map((r) => r.id),
      traces,
      input.annotations ?? [],
      input.experiment.annotations,
    ),
    generatedAt: options.now ?? new Date(),
    toolVersion: TOOL_VERSION,
  });
}

/** Builds, renders and prints the report to `file` (written whole or not at all); returns its size. */
export async function writeReportPdf(
  options: ReportOptions & { file: string; paper: Paper; env?: NodeJS.ProcessEnv },
): Promise<{ bytes: number; view: ReportViewModel }> {
  const view = await buildReport(options);
  const bytes = await writePdf(options.file, renderReportHtml(view), { paper: options.paper, footerTitle: view.title, env: options.env });
  return { bytes, view };
}

/**
 * Builds and renders the report to `file` as one self-contained HTML document: the PDF's own
 * source, with its screen styles, no Chromium needed. Written whole or not at all; returns its size.
 */
export async function writeReportHtml(options: ReportOptions & { file: string }): Promise<{ bytes: number; view: ReportViewModel }> {
  const view = await buildReport(options);
  const html = renderReportHtml(view);
  await writeTextAtomic(options.file, [html]);
  return { bytes: Buffer.byteLength(html), view };
}
