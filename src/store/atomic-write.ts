import { randomBytes } from 'node:crypto';
import { rename, writeFile, rm } from 'node:fs/promises';
import { renameSync, rmSync, writeFileSync } from 'node:fs';

/**
 * Writes a file by writing a temporary sibling and renaming it over the target, so a reader
 * (or a crash) never sees half a file.
 */
export async function writeFileAtomic(file: string, data: string | Uint8Array): Promise<void> {
  const temp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    await writeFile(temp, data);
    await rename(temp, file);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}

/** The synchronous twin, for exit handlers where nothing asynchronous may run. */
export function writeFileAtomicSync(file: string, data: string | Uint8Array): void {
  const temp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    writeFileSync(temp, data);
    renameSync(temp, file);
  } catch (error) {
    rmSync(temp, { force: true });
    throw error;
  }
}
