import { mkdirSync, symlinkSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** This checkout. */
export const REPO = resolve(import.meta.dirname, '../..');

/**
 * Makes `import … from 'labbook/sdk'` and the `labbook` command resolve in `project` to this
 * checkout's sources, the one place that decides it: a symlink `node_modules/labbook` → the
 * repository root and `node_modules/.bin/labbook`. Scripts then run through tsx with the
 * `labbook-source` export condition (see `scriptCommand`), so a sample runs the code being
 * edited with no build. test/package/adoption.test.ts is the one that installs the packed
 * tarball and runs plain `node`.
 */
export function installLabbook(project: string): void {
  mkdirSync(join(project, 'node_modules', '.bin'), { recursive: true });
  symlinkSync(REPO, join(project, 'node_modules', 'labbook'), 'dir');
  symlinkSync(join('..', 'labbook', 'bin', 'labbook.js'), join(project, 'node_modules', '.bin', 'labbook'));
}

/** The command that runs a JavaScript or TypeScript file of `project` that imports `labbook`. */
export function scriptCommand(file: string): string[] {
  return [process.execPath, '--conditions=labbook-source', join(REPO, 'bin', 'tsx.js'), file];
}
