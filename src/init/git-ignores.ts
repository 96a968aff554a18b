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
  let ignored: string[];
  try {
    // One call for all of them: it prints the ones ignored, and exits 1 when none is.
    ignored = execFileSync('git', ['check-ignore', '--', ...KEPT_OUT.map(({ path }) => path)], {
      cwd: rootDir,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }).split('\n');
  } catch (error) {
    if ((error as { status?: number }).status !== 1) return []; // 128: not a repository
    ignored = [];
  }
  return KEPT_OUT.filter(({ path }) => !ignored.includes(path));
}

/** A new `.gitignore` keeping `paths` out of git, each with why. */
export function gitignoreFile(paths: ReadonlyArray<{ path: string; why: string }>): InitFile {
  return { path: '.gitignore', text: paths.map(({ path, why }) => `# ${why}\n${path}\n`).join('') };
}
