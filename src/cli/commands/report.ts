import { mkdir, stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { LabbookError, UsageError } from '../../errors/index.ts';
import { PAPER_SIZES, type Paper } from '../../export/print-pdf.ts';
import { writeReportHtml, writeReportPdf, type ReportOptions } from '../../export/report.ts';
import { reportFormatFor } from '../../export/report-output.ts';
import type { Problem } from '../../errors/problem.ts';
import { reportAnnotationProblems } from '../annotation-problems.ts';
import type { Command } from '../command.ts';
import { RUN_REFERENCE_HELP } from '../run-reference-help.ts';
import { skippedReport } from '../skipped-report.ts';
import { formatBytes } from '../../text/format-bytes.ts';
import { warnOfUnsealedRuns } from '../unsealed-run-warnings.ts';

export const reportCommand: Command = {
  name: 'report',
  summary: 'write a PDF or self-contained HTML report comparing 2–4 runs',
  usage: `usage: labbook report <run-a> <run-b> [<c> <d>] -o <report.pdf|report.html> [--format pdf|html] [--paper a4|letter] [--data <dir>]
       labbook report --runs <a,b[,c,d]> -o …   (the same, as one option)

Compares the runs against the first (as "labbook compare" does) and writes a report: each run's
provenance (commit, config, CI job), the config diff, every metric side by side with its 95% CI,
the difference and verdict, the gate and eval plan, charts, the examples that regressed and
improved most with their outputs, and annotation summaries.

--format defaults to the extension of -o (.pdf, or .html/.htm) and must agree with it.
  pdf   printed by Chromium (/usr/bin/chromium, or LABBOOK_CHROMIUM), with page numbers;
        --paper a4 (default) or letter.
  html  one file with its styles and SVG charts inline: it opens from disk in any browser,
        with no server, no network and no scripts (light and dark, phone to desktop).
The file is written whole or not at all.
${RUN_REFERENCE_HELP}`,
  options: {
    runs: { type: 'string' },
    output: { type: 'string', short: 'o' },
    format: { type: 'string' },
    paper: { type: 'string' },
  },
  async run(args, ctx) {
    const listed = args.values.runs as string | undefined;
    if (listed !== undefined && args.positionals.length > 0)
      throw new UsageError(`give the runs either as arguments or as --runs, not both (got "${args.positionals[0]}" and --runs)`);
    // As `labbook compare` takes them, or comma-separated in --runs (the form workflows use).
    const runs =
      listed === undefined
        ? args.positionals
        : listed
            .split(',')
            .map((id) => id.trim())
            .filter(Boolean);
    if (runs.length < 2 || runs.length > 4)
      throw new UsageError(`a report compares 2 to 4 runs (labbook report <run-a> <run-b> -o report.pdf), got ${runs.length}`);
    const output = args.values.output as string | undefined;
    if (!output) throw new UsageError('-o <report.pdf|report.html> is required');
    // A report is a file (a PDF is binary); "-" would otherwise become a file of that name.
    if (output === '-') throw new UsageError('-o - (stdout) is not offered for a report: name the file, e.g. -o report.html');
    const format = reportFormatFor(output, args.values.format as string | undefined);
    const paperGiven = args.values.paper as string | undefined;
    if (format === 'html' && paperGiven !== undefined)
      throw new UsageError('--paper applies to PDF reports only (an HTML report fits its window)');
    const paper = (paperGiven ?? 'a4').toLowerCase();
    if (!(PAPER_SIZES as readonly string[]).includes(paper)) throw new UsageError(`--paper must be a4 or letter, not "${paper}"`);
    const file = resolve(ctx.cwd, output);
    await prepareOutput(file);
    const problems: Problem[] = [];
    const skipped = skippedReport(ctx.stderr);
    const options: ReportOptions & { file: string } = {
      dataDir: ctx.dataDir,
      runIds: runs,
      file,
      onAnnotationProblem: (p) => problems.push(p),
      onTraceSkipped: skipped.onSkipped,
    };
    const { bytes, view } =
      format === 'html' ? await writeReportHtml(options) : await writeReportPdf({ ...options, paper: paper as Paper, env: ctx.env });
    skipped.finish();
    reportAnnotationProblems(problems, ctx.stderr);
    await warnOfUnsealedRuns(ctx.dataDir, runs, 'reported', ctx.stderr);
    ctx.stderr(`wrote ${file} (${formatBytes(bytes)}): ${view.title}`);
    return 0;
  },
};

/**
 * Makes the output's folder, and refuses up front what the final rename would refuse after the
 * whole report was built: an output that is a folder, or a folder path through a file.
 * Permissions and full disks are left to the CLI's environment errors, which name the file.
 */
async function prepareOutput(file: string): Promise<void> {
  const existing = await stat(file).catch(() => null);
  if (existing?.isDirectory())
    throw new LabbookError(`cannot write the report to ${file}: it is a folder (give a file name ending in .pdf or .html)`);
  try {
    await mkdir(dirname(file), { recursive: true });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOTDIR' || code === 'EEXIST')
      throw new LabbookError(`cannot write the report to ${file}: a part of ${dirname(file)} is a file, not a folder`, { cause: error });
    throw error;
  }
}
