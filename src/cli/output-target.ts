import { resolve } from 'node:path';
import type { TextTarget } from '../store/text-target.ts';
import type { CommandContext } from './command.ts';

/**
 * Where an export's `-o` sends its text: a file resolved against the working folder, or stdout
 * when -o is left out or is `-` (so `labbook export csv --run r | head` works, and `-o -` never
 * makes a file named "-").
 */
export function outputTarget(output: string | undefined, ctx: Pick<CommandContext, 'cwd' | 'stdoutRaw'>): TextTarget {
  if (output === undefined || output === '-') return ctx.stdoutRaw;
  return resolve(ctx.cwd, output);
}
