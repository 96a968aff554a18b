import { accessSync, constants, existsSync } from 'node:fs';
import { dirname } from 'node:path';
import { LabbookError } from './labbook-error.ts';

/**
 * The machine refused something Labbook did right: a read-only folder, missing permissions,
 * a full disk, too many open files. Not a bug, so no stack: one line that says what failed,
 * where, and what to do.
 */
export class EnvironmentError extends LabbookError {
  override name = 'EnvironmentError';
  constructor(
    readonly code: string,
    readonly path: string | undefined,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

const WHAT_TO_DO: Record<string, { why: string; fix: string }> = {
  EROFS: { why: 'the file system is read-only', fix: 'work in a writable copy, or point --data at a writable folder' },
  EACCES: { why: 'permission denied', fix: 'give this user write access to it, or point --data at a folder you own' },
  EPERM: { why: 'the operation is not permitted', fix: 'check its owner, permissions and attributes (lsattr), or use another folder' },
  ENOSPC: { why: 'no space left on the device', fix: 'free some disk space, or point --data at another disk' },
  EDQUOT: { why: 'the disk quota is used up', fix: 'free some space within your quota, or use another disk' },
  // A path the user gave that is not what the command needs: said as plainly as the rest.
  EISDIR: { why: 'it is a folder, not a file', fix: 'give the path of a file' },
  ENOTDIR: { why: 'a part of that path is a file, not a folder', fix: 'check the path' },
  ENOENT: { why: 'there is no such file or folder', fix: 'check the path' },
  EMFILE: { why: 'too many open files', fix: 'raise the limit (ulimit -n) and try again' },
  ENFILE: { why: 'the system has too many open files', fix: 'close other programs, or raise the limit, and try again' },
};

const VERBS: Record<string, string> = {
  open: 'open',
  read: 'read',
  write: 'write to',
  mkdir: 'create the folder',
  mkdtemp: 'create a folder in',
  // A rename is how a file is written whole (atomic-write.ts): to the user, a write.
  rename: 'write',
  unlink: 'remove',
  rmdir: 'remove the folder',
  rm: 'remove',
  copyfile: 'copy to',
  cp: 'copy to',
  scandir: 'list the folder',
  symlink: 'create the link',
  utime: 'touch',
  chmod: 'change the mode of',
  fsync: 'flush',
  ftruncate: 'truncate',
  truncate: 'truncate',
};

/**
 * The environment error behind `error` (or behind its `cause`s), or null when there is none.
 * Errors from Node's fs carry `code`, `syscall` and `path`; git or a child process only a
 * message, in which the code then appears. `near` names the folder being written when the
 * error itself names none (a write through a file descriptor).
 */
export function environmentErrorFrom(error: unknown, near?: string): EnvironmentError | null {
  const seen = new Set<unknown>();
  for (
    let current = error;
    current && typeof current === 'object' && !seen.has(current);
    current = (current as { cause?: unknown }).cause
  ) {
    seen.add(current);
    if (current instanceof EnvironmentError) return current;
    const { syscall, path, dest } = current as NodeJS.ErrnoException & { dest?: string };
    let { code } = current as NodeJS.ErrnoException;
    // Node's recursive mkdir says ENOENT when the folder that should hold the new one refuses
    // to be written: ask that folder why.
    if (code === 'ENOENT' && syscall === 'mkdir' && path) code = whyNotWritable(path) ?? code;
    if (typeof code !== 'string' || !Object.hasOwn(WHAT_TO_DO, code)) continue;
    const { why, fix } = WHAT_TO_DO[code]!;
    const verb = (syscall && VERBS[syscall]) ?? 'use';
    // A write through an open file names no path; `near` says which folder was being written.
    // A temporary sibling (`file.<pid>.<hex>.tmp`, see atomic-write.ts) stands for its target.
    const where = (dest ?? path)?.replace(/\.\d+\.[0-9a-f]{8}\.tmp$/, '');
    const place = where ?? (near ? `a file in ${near}` : 'a file');
    return new EnvironmentError(code, where ?? near, `cannot ${verb} ${place}: ${why} (${code}); ${fix}`, { cause: error });
  }
  return null;
}

/** The error code that writing into the nearest existing ancestor of `path` meets, if any. */
function whyNotWritable(path: string): string | undefined {
  let folder = dirname(path);
  while (!existsSync(folder) && dirname(folder) !== folder) folder = dirname(folder);
  try {
    accessSync(folder, constants.W_OK);
    return undefined;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code;
  }
}
