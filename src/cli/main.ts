import { parseArgs } from 'node:util';
import { LabbookError, UsageError } from '../errors/index.ts';
// Not in errors/index.ts: it reads the file system, and the index is bundled for the browser.
import { environmentErrorFrom } from '../errors/environment-error.ts';
import type { CommandContext, ParsedArgs } from './command.ts';
import { COMMANDS } from './commands.ts';
import { resolveProjectPaths } from '../store/project-paths.ts';
import { TOOL_VERSION } from '../store/version.ts';
import { errorMessage } from '../errors/error-message.ts';
import { closestName } from '../text/closest-name.ts';

const GLOBAL_HELP = () => `usage: labbook <command> [options]

Experiment manager for LLM agents. Every command takes --data <dir> (default: experiments,
or the "data" key of labbook.config.yaml at the repository root) and --help.

commands:
${Object.entries(COMMANDS)
  .map(([name, entry]) => `  ${name.padEnd(12)} ${entry.summary}`)
  .join('\n')}

Run "labbook <command> --help" (or "labbook help <command>") for a command's options.`;

/** Runs one `labbook` command line and resolves to its exit code. Never calls process.exit. */
export async function main(argv: string[], overrides: Partial<CommandContext> = {}): Promise<number> {
  const stdout = overrides.stdout ?? ((text: string) => process.stdout.write(text.endsWith('\n') ? text : `${text}\n`));
  const stderr = overrides.stderr ?? ((text: string) => process.stderr.write(text.endsWith('\n') ? text : `${text}\n`));
  // "labbook help run" is "labbook run --help", as git and npm read it.
  if (argv[0] === 'help' && argv.length > 1) return main([argv[1]!, '--help'], overrides);
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    stdout(GLOBAL_HELP());
    return name ? 0 : 2;
  }
  if (name === '--version' || name === '-v') {
    stdout(TOOL_VERSION);
    return 0;
  }
  const load = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (!load) {
    const near = closestName(name, Object.keys(COMMANDS));
    stderr(`labbook: unknown command "${name}"${near ? ` (did you mean "${near}"?)` : ''}; "labbook --help" lists the commands`);
    return 2;
  }
  const command = await load.load();
  let dataDir: string | undefined;
  try {
    const dashDash = rest.indexOf('--');
    const own = dashDash === -1 ? rest : rest.slice(0, dashDash);
    const parsed = parseArgs({
      args: own,
      options: { ...command.options, data: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
      allowPositionals: true,
      strict: true,
    });
    if (parsed.values.help) {
      stdout(command.usage);
      return 0;
    }
    if (command.maxPositionals !== undefined && parsed.positionals.length > command.maxPositionals) {
      const extra = parsed.positionals[command.maxPositionals]!;
      throw new UsageError(
        command.maxPositionals === 0
          ? `unexpected argument "${extra}"`
          : `unexpected argument "${extra}" (${name} takes ${command.maxPositionals === 1 ? 'one argument' : `${command.maxPositionals} arguments`})`,
      );
    }
    const cwd = overrides.cwd ?? process.cwd();
    const env = overrides.env ?? process.env;
    const paths = await resolveProjectPaths(cwd, parsed.values.data as string | undefined);
    dataDir = paths.dataDir;
    const ctx: CommandContext = {
      dataDir: paths.dataDir,
      rootDir: paths.rootDir,
      cwd,
      env,
      stdout,
      stderr,
      stdoutRaw: overrides.stdoutRaw ?? writeToStdout,
      isTTY: overrides.isTTY ?? Boolean(process.stdout.isTTY),
      ...overrides,
    };
    const args: ParsedArgs = {
      values: parsed.values as ParsedArgs['values'],
      positionals: parsed.positionals,
      rest: dashDash === -1 ? [] : rest.slice(dashDash + 1),
    };
    return await command.run(args, ctx);
  } catch (error) {
    if (error instanceof UsageError || isParseArgsError(error)) {
      // One line that says what is wrong, and where the whole usage is: a page of usage text
      // after every typo buries the one line that matters.
      const message = isParseArgsError(error) ? parseArgsMessage(error, command.options) : errorMessage(error);
      stderr(`labbook ${name}: ${message}\n(run "labbook ${name} --help" for its options)`);
      return 2;
    }
    if (error instanceof LabbookError) {
      stderr(`labbook ${name}: ${error.message}`);
      return 1;
    }
    // A read-only folder, a full disk: the machine's doing, said in one line, never "a bug".
    const environment = environmentErrorFrom(error, dataDir);
    if (environment) {
      stderr(`labbook ${name}: ${environment.message}`);
      return 1;
    }
    stderr(`labbook ${name}: unexpected error (a bug; please report it)\n${error instanceof Error ? error.stack : String(error)}`);
    return 70;
  }
}

/**
 * parseArgs's message for an unknown option ("Unknown option '--out'. To specify a positional
 * argument starting with a '-', place it at the end of the command after '--'…") says more
 * about positionals than about the typo: this one names the option and the one it was
 * probably meant to be; an option followed by something that looks like one gets one line
 * too. Other parse errors keep their message.
 */
function parseArgsMessage(error: TypeError & { code: string }, options: CommandOptions): string {
  // "--port -1": three lines about forgetting a value; one says what was seen and how to write it.
  const ambiguous =
    error.code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE' ? /^Option '(-{1,2}[^']+)' argument is ambiguous/.exec(error.message) : null;
  if (ambiguous) {
    const option = ambiguous[1]!;
    return `${option} is followed by a value that starts with "-", which is read as an option: give ${option} a value, or write ${option}=-… if the value starts with "-"`;
  }
  // "Option '-o, --output <value>' argument missing": a flag given last, or before "--", with no value.
  const missing =
    error.code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE'
      ? /^Option '(?:-\w, )?(--[^ ']+) <value>' argument missing/.exec(error.message)
      : null;
  if (missing) return `${missing[1]} needs a value: ${missing[1]} <value>`;
  const valued =
    error.code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE'
      ? /^Option '(?:-\w, )?(--[^ ']+)' does not take an argument/.exec(error.message)
      : null;
  if (valued) return `${valued[1]} takes no value: write ${valued[1]} alone`;
  const typed = error.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' ? /^Unknown option '(-{1,2})([^']+)'/.exec(error.message) : null;
  if (!typed) return error.message;
  const [, dashes, name] = typed as unknown as [string, string, string];
  const known = { ...options, data: {}, help: { short: 'h' } } as CommandOptions;
  const meant = dashes === '--' ? closestName(name, Object.keys(known)) : null;
  const short = meant ? known[meant]?.short : undefined;
  return `unknown option ${dashes}${name}${meant ? ` (did you mean --${meant}${short ? ` or -${short}` : ''}?)` : ''}`;
}

type CommandOptions = Record<string, { short?: string }>;

function isParseArgsError(error: unknown): error is TypeError & { code: string } {
  return (
    error instanceof TypeError &&
    typeof (error as { code?: unknown }).code === 'string' &&
    String((error as unknown as { code: string }).code).startsWith('ERR_PARSE_ARGS')
  );
}

/** process.stdout as given, resolving once the text is handed over or buffered below the high-water mark. */
async function writeToStdout(text: string): Promise<void> {
  if (process.stdout.write(text)) return;
  await new Promise<void>((resolve, reject) => {
    const done = () => {
      process.stdout.off('error', failed);
      resolve();
    };
    const failed = (error: NodeJS.ErrnoException) => {
      process.stdout.off('drain', done);
      // A reader that went away (`| head`): the rest is dropped, as bin/labbook.js drops it.
      if (error.code === 'EPIPE') resolve();
      else reject(error);
    };
    process.stdout.once('drain', done).once('error', failed);
  });
}
