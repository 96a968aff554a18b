import { mkdirSync, symlinkSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** This checkout. */
export const REPO = resolve(import.meta.dirname, '../..');

/**
 * Makes `import … from 'labbook/sdk'` and the `labbook` command resolve in `project` to this
 * checkout, the one place that decides it: a symlink `node_modules/labbook` → the repository
 * root (its `exports` point at TypeScript sources, so scripts run through tsx, see
 * `scriptCommand`) and `node_modules/.bin/labbook`. Once the package builds to JavaScript,
 * switch both functions to installing the packed tarball (`npm install <labbook-x.y.z.tgz>`)
 * and plain `node`.
 */
export function installLabbook(project: string): void {
  mkdirSync(join(project, 'node_modules', '.bin'), { recursive: true });
  symlinkSync(REPO, join(project, 'node_modules', 'labbook'), 'dir');
  symlinkSync(join('..', 'labbook', 'bin', 'labbook.js'), join(project, 'node_modules', '.bin', 'labbook'));
}

/** The command that runs a JavaScript or TypeScript file of `project` that imports `labbook`. */
export function scriptCommand(file: string): string[] {
  return [process.execPath, join(REPO, 'bin', 'tsx.js'), file];
}
