import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

let root: string | undefined;

/**
 * The folder holding Labbook's package.json, templates/ and site/. This module runs from the
 * sources (`src/store/package-root.ts`) in a checkout and from the compiled package
 * (`dist/src/store/package-root.js`) once installed, one level deeper: walk up instead of counting.
 * Found on first use, so code bundled elsewhere (the action) pays nothing unless it asks.
 */
function packageRoot(): string {
  root ??= findPackageRoot(dirname(fileURLToPath(import.meta.url)));
  return root;
}

function findPackageRoot(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'templates'))) return dir;
    if (dirname(dir) === dir) throw new Error(`labbook: no package root (package.json and templates/) above ${from}`);
  }
}

/** A path inside the package, e.g. `packagePath('templates', 'init')`. */
export function packagePath(...parts: string[]): string {
  return join(packageRoot(), ...parts);
}
