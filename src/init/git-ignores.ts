import { execFileSync } from 'node:child_process';
import type { InitFile } from './init-files.ts';

/** What a Labbook project keeps out of git: the site `labbook site build` writes, and what npm installs. */
const KEPT_OUT = [
  { path: '_site/', why: 'the site labbook site build writes' },
  { path: 'node_modules/', why: 'what npm installs' },
];

/**
 * The paths of KEPT_OUT that git would not ignore in `rootDir` (`git check-ignore`, which reads
 * every .gitignore and the user's global excludes). Outside a git repository, none: there is
 * nothing to add a file to.
 */
export function notIgnored(rootDir: string): Array<{ path: string; why: string }> {
  return KEPT_OUT.filter(({ path }) => {
    try {
      execFileSync('git', ['check-ignore', '-q', path], { cwd: rootDir, stdio: 'ignore' });
      return false; // exit 0: ignored
    } catch (error) {
      return (error as { status?: number }).status === 1; // 1: not ignored; 128: not a repository
    }
  });
}

/** A new `.gitignore` keeping `paths` out of git, each with why. */
export function gitignoreFile(paths: ReadonlyArray<{ path: string; why: string }>): InitFile {
  return { path: '.gitignore', text: paths.map(({ path, why }) => `# ${why}\n${path}\n`).join('') };
}
