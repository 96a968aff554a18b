import { UsageError, errorMessage } from '../errors/index.ts';
import { checkRunName } from '../store/run-writer.ts';
import type { ParsedArgs } from './command.ts';

/** `--name` of the commands that make a run (run, import), refused as a usage error when empty or too long. */
export function runNameOption(args: ParsedArgs): string | undefined {
  const name = args.values.name as string | undefined;
  if (name === undefined) return undefined;
  try {
    checkRunName(name);
  } catch (error) {
    throw new UsageError(`--name: ${errorMessage(error)}`);
  }
  return name;
}
