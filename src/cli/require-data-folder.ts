import { existsSync } from 'node:fs';
import { NotFoundError } from '../errors/index.ts';

/**
 * Refuses, in the words every command uses, a data folder that does not exist: before
 * `labbook init` or a first run, or with a mistyped --data. Without it a command that lists the
 * folder fails on the listing (ENOENT), which names no way out.
 */
export function requireDataFolder(dataDir: string): void {
  if (!existsSync(dataDir))
    throw new NotFoundError('file', dataDir, 'no data folder there: "labbook init" makes one; --data reads another folder');
}
