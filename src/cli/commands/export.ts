import { UsageError } from '../../errors/index.ts';
import { unknownSubCommand } from '../unknown-sub-command.ts';
import type { Command } from '../command.ts';
import { exportCsvCommand } from './export-csv.ts';
import { exportOtlpCommand } from './export-otlp.ts';

/** `labbook export <what>`: one sub-command per output format, chosen by the first positional. */
const SUBCOMMANDS: Record<string, Command> = {
  otlp: exportOtlpCommand,
  csv: exportCsvCommand,
};

/** Where what people look for under `labbook export` is made instead. */
const ELSEWHERE: Record<string, string> = {
  pdf: 'a PDF or HTML report of 2–4 runs is "labbook report"',
  html: 'a PDF or HTML report of 2–4 runs is "labbook report"; the site is "labbook site build"',
  mlflow: 'MLflow, Phoenix and Langfuse take the OTLP JSON of "labbook export otlp"',
  json: '"labbook export otlp" writes OTLP JSON; "labbook show <run> --json" prints a run',
};

/** Every sub-command's options: the arguments are parsed before the sub-command is known. */
const OPTIONS: Command['options'] = Object.assign({}, ...Object.values(SUBCOMMANDS).map((command) => command.options));

export const exportCommand: Command = {
  name: 'export',
  summary: `take results out: ${Object.keys(SUBCOMMANDS).join(', ')}`,
  usage: `usage: labbook export <${Object.keys(SUBCOMMANDS).join('|')}> [options]

${Object.values(SUBCOMMANDS)
  .map((command) => command.usage)
  .join('\n\n')}`,
  options: OPTIONS,
  async run(args, ctx) {
    const name = args.positionals[0];
    const command = name === undefined ? undefined : SUBCOMMANDS[name];
    if (!command)
      throw unknownSubCommand('export', name, Object.keys(SUBCOMMANDS), name === undefined ? undefined : ELSEWHERE[name.toLowerCase()]);
    for (const key of Object.keys(args.values)) {
      if (key !== 'data' && key !== 'help' && args.values[key] !== undefined && !Object.hasOwn(command.options, key)) {
        throw new UsageError(`--${key} is not an option of "labbook export ${name}"`);
      }
    }
    return command.run(args, ctx);
  },
};
