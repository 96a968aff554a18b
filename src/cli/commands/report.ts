import { mkdir } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { UsageError } from '../../errors/index.ts';
import { PAPER_SIZES, type Paper } from '../../export/print-pdf.ts';
import { writeReportPdf } from '../../export/report.ts';
import { formatProblem, type Problem } from '../../errors/problem.ts';
import type { Command } from '../command.ts';
import { skippedReport } from '../skipped-report.ts';

export const reportCommand: Command = {
  name: 'report',
  summary: 'print a PDF report comparing 2–4 runs',
  usage: `usage: labbook report --runs <a,b[,c,d]> -o <report.pdf> [--paper a4|letter] [--data <dir>]

Compares the runs against the first (as "labbook compare" does) and prints a PDF: each run's
provenance (commit, config, CI job), the config diff, every metric side by side with its 95% CI,
the difference and verdict, charts, the examples that regressed and improved most with their
outputs, and annotation summaries, with page numbers. Printed by Chromium (/usr/bin/chromium,
or LABBOOK_CHROMIUM); the file is written whole or not at all. --paper defaults to a4.`,
  options: {
    runs: { type: 'string' },
    output: { type: 'string', short: 'o' },
    paper: { type: 'string' },
  },
  async run(args, ctx) {
    if (args.positionals.length > 0) throw new UsageError(`unexpected argument "${args.positionals[0]}"`);
    const runs = ((args.values.runs as string | undefined) ?? '').split(',').map((id) => id.trim()).filter(Boolean);
    if (runs.length < 2 || runs.length > 4) throw new UsageError(`--runs takes 2 to 4 comma-separated run ids, got ${runs.length}`);
    const output = args.values.output as string | undefined;
    if (!output) throw new UsageError('-o <file.pdf> is required');
    const paper = ((args.values.paper as string | undefined) ?? 'a4').toLowerCase();
    if (!(PAPER_SIZES as readonly string[]).includes(paper)) throw new UsageError(`--paper must be a4 or letter, not "${paper}"`);
    const file = resolve(ctx.cwd, output);
    await mkdir(dirname(file), { recursive: true });
    const problems: Problem[] = [];
    const skipped = skippedReport(ctx.stderr);
    const { bytes, view } = await writeReportPdf({ dataDir: ctx.dataDir, runIds: runs, file, paper: paper as Paper, env: ctx.env, onAnnotationProblem: (p) => problems.push(p), onTraceSkipped: skipped.onSkipped });
    skipped.finish();
    for (const problem of problems) ctx.stderr(`warning: annotation left out: ${formatProblem(problem)}`);
    ctx.stderr(`wrote ${file} (${Math.round(bytes / 1024)} KB): ${view.title}`);
    return 0;
  },
};
