import type { ParseArgsConfig } from 'node:util';

/** What every command receives besides its arguments: where to write, and the data folder. */
export interface CommandContext {
  /** The `experiments/` folder: `--data`, else `labbook.config.yaml`'s `data`, else `experiments`. */
  dataDir: string;
  /** The repository root (the nearest folder with `.git` or `labbook.config.yaml`), or cwd. */
  rootDir: string;
  cwd: string;
  env: NodeJS.ProcessEnv;
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /**
   * Writes text to stdout exactly as given (no line end added), waiting while a slow reader
   * drains it: what an export streamed to a pipe writes.
   */
  stdoutRaw: (text: string) => Promise<void>;
  /** True when stdout is a terminal (progress lines redraw in place). */
  isTTY: boolean;
}

export interface ParsedArgs {
  values: Record<string, string | boolean | string[] | undefined>;
  positionals: string[];
  /** Everything after a bare `--`, untouched (the command `labbook run` executes). */
  rest: string[];
}

/** One `labbook <name>` command. Each lives in its own file under `src/cli/commands/`. */
export interface Command {
  name: string;
  /** One line for `labbook --help`. */
  summary: string;
  /** The full `--help` text, starting with a `usage:` line. */
  usage: string;
  /** Options for `util.parseArgs`; `--data` and `--help` are added for every command. */
  options: NonNullable<ParseArgsConfig['options']>;
  /**
   * The most arguments (besides options and what follows `--`) it takes; more is a usage error
   * rather than arguments silently ignored. Unset: the command checks them itself.
   */
  maxPositionals?: number;
  /** Resolves to the process exit code. Throw `UsageError` for bad arguments. */
  run(args: ParsedArgs, ctx: CommandContext): Promise<number>;
}
