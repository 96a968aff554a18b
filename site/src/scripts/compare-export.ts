import { NOTHING_JUDGED } from '#lib/annotations/judges-and-people.ts';
import type { AnnotationEntry } from '#lib/annotations/annotation-entry.ts';
import type { Comparison } from '#lib/compare/comparison.ts';
import type { PerTraceRow } from '#lib/compare/per-trace.ts';
import { perTraceInBackground } from './compare-job.ts';
import type { LoadedRun } from './compare-traces.ts';
import { announce } from './copy-text.ts';
import { h } from './dom.ts';
import { errorMessage } from '#lib/errors/error-message.ts';

export interface ExportContext {
  runs: LoadedRun[];
  comparison: Comparison;
  annotations: AnnotationEntry[];
  toolVersion: string;
  /** The charts the page drew (figures), printed in the report. */
  charts: () => Element[];
  /** Where the printable report goes (hidden on screen). */
  reportHost: HTMLElement;
}

/**
 * Per-example rows with each run's output as the site has it: the engine ran on hashes of
 * the outputs (enough to align and find changes), the table's previews are the readable text.
 */
function withPreviews(rows: readonly PerTraceRow[], runs: readonly LoadedRun[]): PerTraceRow[] {
  const rowOf = runs.map((run) => {
    const map = new Map<string, number>();
    run.rows.id.forEach((id, i) => map.has(id) || map.set(id, i));
    return map;
  });
  return rows.map((row) => ({
    ...row,
    runs: row.runs.map((cell, r) => (cell ? { ...cell, output: runs[r]!.rows.output[rowOf[r]!.get(cell.trace) ?? -1] ?? '' } : null)),
  }));
}

/** Each example's input preview, from the first run that has it. */
function examplesOf(runs: readonly LoadedRun[]): Map<string, { input: string }> {
  const map = new Map<string, { input: string }>();
  for (const run of runs) run.rows.example.forEach((example, i) => map.has(example) || map.set(example, { input: run.rows.input[i]! }));
  return map;
}

function download(text: string, fileName: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: 'text/csv;charset=utf-8' }));
  const link = document.createElement('a');
  link.href = url; // a blob: URL made here, never data
  link.download = fileName;
  link.hidden = true;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/**
 * The compare page's exports: the comparison as CSV (one row per example of any run, a column
 * group per run, the deltas; src/export's `comparisonCsvRows` and `toCsv`, formula cells
 * neutralised), and "PDF report", which prints the layout of `labbook report` (see
 * compare-report.ts). Both need the per-example rows, computed in the worker on first use;
 * the CSV code and papaparse load only then.
 */
export function exportActions(ctx: ExportContext): HTMLElement {
  let rows: Promise<PerTraceRow[]> | null = null;
  const perTrace = () =>
    (rows ??= perTraceInBackground(
      ctx.runs.map((r) => ({ meta: r.meta, rows: r.rows })),
      ctx.annotations,
    ).then((found) => withPreviews(found, ctx.runs)));
  const status = h('span', { class: 'muted', id: 'cmp-export-status', role: 'status' });
  const csvButton = h(
    'button',
    {
      type: 'button',
      class: 'btn',
      id: 'cmp-download-csv',
      title:
        'One row per example, a column group per run, the deltas against A; outputs and inputs as the site previews them (the first 160 characters)',
    },
    'Download CSV',
  );
  const pdfButton = h(
    'button',
    {
      type: 'button',
      class: 'btn',
      id: 'cmp-pdf-report',
      title: 'Print the comparison in the layout of "labbook report" (choose "Save as PDF")',
    },
    'PDF report',
  );
  const busy = async (button: HTMLButtonElement, message: string, work: () => Promise<void>) => {
    button.disabled = true;
    status.textContent = message;
    try {
      await work();
      status.textContent = '';
    } catch (error) {
      status.textContent = `Failed: ${errorMessage(error)}`;
    } finally {
      button.disabled = false;
    }
  };

  csvButton.addEventListener(
    'click',
    () =>
      void busy(csvButton, 'Preparing the CSV…', async () => {
        const [{ toCsv }, { comparisonCsvRows }, found] = await Promise.all([
          import('#lib/export/csv.ts'),
          import('#lib/export/comparison-csv.ts'),
          perTrace(),
        ]);
        const text = toCsv(comparisonCsvRows({ comparison: ctx.comparison, rows: found, examples: examplesOf(ctx.runs) }));
        download(text, `compare-${ctx.comparison.runs.map((r) => r.id).join('-vs-')}.csv`);
        announce('The comparison CSV is downloading');
      }),
  );

  pdfButton.addEventListener(
    'click',
    () =>
      void busy(pdfButton, 'Preparing the report…', async () => {
        const [{ buildReportViewModel }, { printReport }, found] = await Promise.all([
          import('#lib/export/report-view-model.ts'),
          import('./compare-report.ts'),
          perTrace(),
        ]);
        const view = buildReportViewModel(
          {
            comparison: ctx.comparison,
            perTrace: found.filter((row) => row.runs.every((cell) => cell !== null)),
            runs: ctx.runs.map((run) => ({
              manifest: run.meta.manifest,
              metrics: run.meta.metrics,
              traces: run.rows.example.map((exampleId, i) => ({ exampleId, input: run.rows.input[i] })),
            })),
            annotations: ctx.annotations,
            // What the data pass paired for each run (annotations.json); the rows carry no judge scores.
            judges: ctx.runs.map((run) => ({ run: run.meta.manifest.id, ...(run.annotations.judges ?? NOTHING_JUDGED) })),
            generatedAt: new Date(),
            toolVersion: ctx.toolVersion,
          },
          [],
        );
        ctx.reportHost.replaceChildren(printReport(view, ctx.charts()));
        document.body.dataset.reportReady = 'true';
        window.print();
      }),
  );
  return h('div', { class: 'toolbar', id: 'cmp-export' }, csvButton, pdfButton, status);
}
