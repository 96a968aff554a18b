import { runGit } from '../git/index.ts';
import { UsageError } from '../errors/index.ts';

export type ChangeStatus = 'added' | 'modified' | 'deleted';

/** A file a pull request (or the working tree) changes compared with its base. */
export interface ChangedPath {
  /** Relative to the repository root, with `/`. */
  path: string;
  status: ChangeStatus;
}

/** The repository root that holds `cwd`; a UsageError when there is none (`--base` needs one). */
export async function gitTopLevel(cwd: string): Promise<string> {
  const found = await runGit(['rev-parse', '--show-toplevel'], { cwd, okExitCodes: [128] });
  if (found.exitCode !== 0)
    throw new UsageError(`--base compares with a git commit, but ${cwd} is not inside a git repository: run it in your repository's clone`);
  return found.stdout.trim();
}

/**
 * Files that differ between `base` and the working tree, untracked ones included (in CI the
 * working tree is the pull request's merge commit; locally it also holds what is not yet
 * committed). Renames count as a deletion and an addition, so a moved file is checked where
 * it lands.
 */
export async function changedPaths(rootDir: string, base: string): Promise<ChangedPath[]> {
  const found = await runGit(['rev-parse', '--verify', '--quiet', `${base}^{commit}`], { cwd: rootDir, okExitCodes: [1, 128] });
  if (found.exitCode !== 0)
    throw new UsageError(
      `--base ${base}: no such commit in this repository (a branch, tag or commit; fetch it first if it is remote, e.g. "git fetch origin ${base.replace(/^origin\//, '')}")`,
    );
  const diff = (await runGit(['diff', '--name-status', '--no-renames', '-z', base, '--'], { cwd: rootDir })).stdout.split('\0');
  const changes: ChangedPath[] = [];
  for (let i = 0; i + 1 < diff.length; i += 2) {
    const code = diff[i]!;
    const path = diff[i + 1]!;
    changes.push({ path, status: code === 'A' ? 'added' : code === 'D' ? 'deleted' : 'modified' });
  }
  const untracked = (await runGit(['ls-files', '--others', '--exclude-standard', '-z'], { cwd: rootDir })).stdout.split('\0');
  for (const path of untracked) if (path) changes.push({ path, status: 'added' });
  return changes.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/** The text of `path` at `base`, or null when it is not there or larger than `maxBytes`. */
export async function readAtBase(rootDir: string, base: string, path: string, maxBytes: number): Promise<string | null> {
  const object = `${base}:${path}`;
  const size = await runGit(['cat-file', '-s', object], { cwd: rootDir, okExitCodes: [128] });
  if (size.exitCode !== 0 || Number(size.stdout.trim()) > maxBytes) return null;
  return (await runGit(['cat-file', 'blob', object], { cwd: rootDir })).stdout;
}
