import { UsageError } from '../../errors/index.ts';
import { exportComparisonCsv } from '../../export/comparison-csv-file.ts';
import { exportRunsCsv, exportTracesCsv } from '../../export/export-csv.ts';
import { experimentAnnotations } from '../../export/annotation-source.ts';
import type { Problem } from '../../errors/problem.ts';
import { reportAnnotationProblems } from '../annotation-problems.ts';
import type { Command } from '../command.ts';
import { RUN_REFERENCE_HELP } from '../run-reference-help.ts';
import { skippedReport } from '../skipped-report.ts';
import { outputTarget } from '../output-target.ts';
import { warnOfUnsealedRuns } from '../unsealed-run-warnings.ts';

/** `labbook export csv`: reached through `labbook export`, which dispatches on its first positional. */
export const exportCsvCommand: Command = {
  name: 'export csv',
  summary: "write an experiment's runs, a run's traces or a comparison as CSV",
  usage: `usage: labbook export csv (--experiment <e> | --run <id> | --compare <a,b[,c,d]>) [-o <file>]
                        [--excel] [--data <dir>]

Without --run or --compare: one row per run of the experiment (provenance, every metric with its
95% CI, latency, tokens, cost). --run: one row per trace of that run (ids, input, output,
expected, status, latency, tokens, cost, every score and annotation). --compare: one row per
example aligned across 2–4 runs, a column group per run and the deltas against the first run.
Text cells that a spreadsheet would run as a formula (starting with = + - @, tab or CR) get a
leading '. --excel starts the file with a UTF-8 byte order mark. The file is written whole or
not at all; without -o (or with -o -) the CSV goes to stdout as it is made. A run or trace line that cannot be read (invalid, past Labbook's size and depth
limits, or a repeated trace id) is left out with a warning naming its file and line.
${RUN_REFERENCE_HELP}
--experiment is needed only for the runs CSV.`,
  options: {
    experiment: { type: 'string' },
    run: { type: 'string' },
    compare: { type: 'string' },
    output: { type: 'string', short: 'o' },
    excel: { type: 'boolean' },
  },
  async run(args, ctx) {
    const experiment = args.values.experiment as string | undefined;
    const runId = args.values.run as string | undefined;
    const compare = args.values.compare as string | undefined;
    const output = args.values.output as string | undefined;
    const extra = args.positionals.filter((p, i) => !(i === 0 && p === 'csv'));
    if (extra.length > 0) throw new UsageError(`unexpected argument "${extra[0]}"`);
    // A run id already names its experiment; only the experiment's runs CSV needs it.
    if (!experiment && runId === undefined && compare === undefined)
      throw new UsageError('--experiment is required (or --run / --compare)');
    if (runId !== undefined && compare !== undefined) throw new UsageError('give --run or --compare, not both');
    const file = outputTarget(output, ctx);
    const wrote = (what: string) => {
      if (typeof file === 'string') ctx.stderr(`wrote ${what} to ${file}`);
    };
    const excel = Boolean(args.values.excel);
    const problems: Problem[] = [];
    const onProblem = (problem: Problem) => problems.push(problem);
    const skipped = skippedReport(ctx.stderr);
    const onSkipped = skipped.onSkipped;
    if (compare !== undefined) {
      const ids = compare
        .split(',')
        .map((id) => id.trim())
        .filter(Boolean);
      const rows = await exportComparisonCsv(ctx.dataDir, experiment, ids, file, { excel, onAnnotationProblem: onProblem, onSkipped });
      reportAnnotationProblems(problems, ctx.stderr);
      skipped.finish();
      await warnOfUnsealedRuns(ctx.dataDir, ids, 'exported', ctx.stderr, experiment);
      wrote(`${rows} examples of ${ids.length} runs`);
    } else if (runId !== undefined) {
      const rows = await exportTracesCsv(ctx.dataDir, runId, file, {
        experiment,
        excel,
        annotations: experimentAnnotations(ctx.dataDir, onProblem),
        onSkipped,
      });
      reportAnnotationProblems(problems, ctx.stderr);
      skipped.finish();
      await warnOfUnsealedRuns(ctx.dataDir, [runId], 'exported', ctx.stderr, experiment);
      wrote(`${rows} traces`);
    } else {
      const rows = await exportRunsCsv(ctx.dataDir, experiment!, file, { excel, onSkipped });
      skipped.finish();
      wrote(`${rows} runs of ${experiment}`);
    }
    return 0;
  },
};
