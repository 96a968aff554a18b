import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { initFiles, type InitSettings } from '../../src/init/init-files.ts';

/** A fresh user repository (`git init` on branch main) in `parent`, named `name`. */
export function userRepository(parent: string, name: string): string {
  const dir = join(parent, name);
  mkdirSync(dir, { recursive: true });
  execFileSync('git', ['init', '-q', '-b', 'main'], { cwd: dir });
  return dir;
}

/**
 * A repository as `labbook init` leaves it, committed on `master` (the recorded event payloads'
 * default branch) and pushed to a bare remote, for running its workflows job by job: the
 * experiment `experiment`, one pass/fail metric `correct`, the action as `acme/labbook@v9.9.9`.
 * `edit` changes the files before the commit. Returns the seed folder, the remote and the commit.
 */
export function seedInitRepository(
  root: string,
  options: { experiment: string; lang: InitSettings['lang']; edit?: (seed: string) => void },
): { seed: string; remote: string; sha: string } {
  const git = (cwd: string, ...args: string[]) => execFileSync('git', args, { cwd, encoding: 'utf8' });
  const seed = join(root, 'seed');
  mkdirSync(seed, { recursive: true });
  git(seed, 'init', '-q', '-b', 'master');
  const files = initFiles({
    experiment: options.experiment,
    metrics: [{ name: 'correct', direction: 'higher', kind: 'boolean' }],
    lang: options.lang,
    dataPath: 'experiments',
    dataBranch: 'labbook-data',
    defaultBranch: 'master',
    actionRepo: 'acme/labbook',
    actionRef: 'v9.9.9',
    version: '9.9.9',
  });
  for (const file of files) {
    mkdirSync(dirname(join(seed, file.path)), { recursive: true });
    writeFileSync(join(seed, file.path), file.text);
  }
  options.edit?.(seed);
  git(seed, 'add', '.');
  git(seed, '-c', 'user.name=dev', '-c', 'user.email=dev@example.invalid', 'commit', '-q', '-m', `labbook init --lang ${options.lang}`);
  const remote = join(root, 'remote.git');
  git(root, 'init', '-q', '--bare', '-b', 'master', remote);
  git(seed, 'push', '-q', remote, 'master');
  return { seed, remote, sha: git(seed, 'rev-parse', 'HEAD').trim() };
}
