import { resolve } from 'node:path';
import type { Command } from '../command.ts';
import { requireDataFolder } from '../require-data-folder.ts';
import { formatProblem } from '../../errors/problem.ts';
import { validatePath } from '../../validate/validate-data.ts';
import { countNoun } from '../../text/count-noun.ts';

export const validateCommand: Command = {
  name: 'validate',
  summary: 'check experiments, runs and traces against the schemas, references and SHA256SUMS',
  usage: `usage: labbook validate [path] [--data <dir>]

Checks every experiment, run and trace under path (default: the data folder): schemas,
references between files, span trees, counts, SHA256SUMS and a sealed run's trace chunks
(each read in full: a corrupt, truncated, missing or miscounted chunk is named). path may be
the data folder, an experiment folder, a run folder, a traces.jsonl file or a trace chunk.
Problems name the file, line (inside the chunk) and field. Exits 1 on any error (warnings do
not fail).`,
  options: {},
  maxPositionals: 1,
  async run(args, ctx) {
    // Relative to the command's working directory (ctx.cwd), not the process's.
    const path = args.positionals[0] === undefined ? ctx.dataDir : resolve(ctx.cwd, args.positionals[0]);
    if (args.positionals[0] === undefined) requireDataFolder(path);
    const report = await validatePath(path);
    for (const problem of report.problems) ctx.stderr(formatProblem(problem));
    const errors = report.problems.filter((p) => p.severity === 'error').length;
    const warnings = report.problems.length - errors;
    ctx.stdout(
      `${errors === 0 ? 'ok' : 'invalid'}: ${countNoun(report.experiments, 'experiment')}, ${countNoun(report.runs, 'run')}, ${countNoun(report.traces, 'trace')}; ${countNoun(errors, 'error')}, ${countNoun(warnings, 'warning')}`,
    );
    return errors === 0 ? 0 : 1;
  },
};
