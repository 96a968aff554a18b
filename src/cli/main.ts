import { parseArgs } from 'node:util';
import { LabbookError, UsageError } from '../errors/index.ts';
// Not in errors/index.ts: it reads the file system, and the index is bundled for the browser.
import { environmentErrorFrom } from '../errors/environment-error.ts';
import type { CommandContext, ParsedArgs } from './command.ts';
import { COMMANDS } from './commands.ts';
import { resolveProjectPaths } from '../store/project-paths.ts';
import { TOOL_VERSION } from '../version.ts';

const GLOBAL_HELP = () => `usage: labbook <command> [options]

Experiment manager for LLM agents. Every command takes --data <dir> (default: experiments,
or the "data" key of labbook.config.yaml at the repository root) and --help.

commands:
${Object.entries(COMMANDS)
  .map(([name, entry]) => `  ${name.padEnd(12)} ${entry.summary}`)
  .join('\n')}

Run "labbook <command> --help" for a command's options.`;

/** Runs one `labbook` command line and resolves to its exit code. Never calls process.exit. */
export async function main(argv: string[], overrides: Partial<CommandContext> = {}): Promise<number> {
  const stdout = overrides.stdout ?? ((text: string) => process.stdout.write(text.endsWith('\n') ? text : `${text}\n`));
  const stderr = overrides.stderr ?? ((text: string) => process.stderr.write(text.endsWith('\n') ? text : `${text}\n`));
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
    stderr(`labbook: unknown command "${name}"\n\n${GLOBAL_HELP()}`);
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
      stderr(`labbook ${name}: ${(error as Error).message}\n\n${command.usage}`);
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

function isParseArgsError(error: unknown): boolean {
  return error instanceof TypeError && typeof (error as { code?: unknown }).code === 'string' && String((error as unknown as { code: string }).code).startsWith('ERR_PARSE_ARGS');
}
