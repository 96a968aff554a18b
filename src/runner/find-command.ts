import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, isAbsolute, join, resolve } from 'node:path';
import { UsageError } from '../errors/index.ts';

/**
 * Refuses a command that cannot start, before a run is made for it: a typo such as `pyhton3`
 * would otherwise leave a failed run in the experiment. Looked up as the system will: a path
 * (with a slash) from the working folder, else each folder of the command's PATH. Windows, where
 * the lookup also tries PATHEXT, is left to the spawn.
 */
export function assertCommandExists(command: string, cwd: string, env: NodeJS.ProcessEnv): void {
  if (process.platform === 'win32') return;
  const candidates = command.includes('/')
    ? [isAbsolute(command) ? command : resolve(cwd, command)]
    : (env.PATH ?? '')
        .split(delimiter)
        .filter(Boolean)
        .map((folder) => join(resolve(cwd, folder), command));
  if (candidates.some(executable)) return;
  throw new UsageError(
    command.includes('/')
      ? `command not found: ${command} (no executable file there); nothing was recorded`
      : `command not found: ${command} (not in PATH); nothing was recorded`,
  );
}

function executable(file: string): boolean {
  try {
    if (!statSync(file).isFile()) return false;
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
