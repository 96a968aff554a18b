import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { LabbookError } from '../errors/index.ts';
import type { InitFile } from './init-files.ts';

/** `labbook init` would replace files the user already has, and was not told to. */
export class InitOverwriteError extends LabbookError {
  override name = 'InitOverwriteError';
  constructor(readonly paths: string[]) {
    super(
      `${paths.length === 1 ? 'this file exists' : 'these files exist'}: ${paths.join(', ')}; nothing was written (--force replaces them, --dry-run shows what would be written)`,
    );
  }
}

interface InitWriteResult {
  written: string[];
  /** Files that existed and were replaced (only with `force`). */
  replaced: string[];
}

/** The files of `files` that already exist under `rootDir`. */
export function existingFiles(rootDir: string, files: InitFile[]): string[] {
  return files.filter((file) => existsSync(join(rootDir, file.path))).map((file) => file.path);
}

/**
 * Writes every file, or none: without `force`, any existing file stops the whole init before
 * anything is written, so a second `labbook init` never leaves a half-updated project.
 */
export async function writeInitFiles(rootDir: string, files: InitFile[], force: boolean): Promise<InitWriteResult> {
  const existing = existingFiles(rootDir, files);
  if (existing.length > 0 && !force) throw new InitOverwriteError(existing);
  for (const file of files) {
    const target = join(rootDir, file.path);
    await mkdir(dirname(target), { recursive: true });
    // 'wx' still refuses a file that appeared since the check (another process), unless forced.
    await writeFile(target, file.text, { flag: force ? 'w' : 'wx' });
  }
  return { written: files.map((f) => f.path), replaced: existing };
}
