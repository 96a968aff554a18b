#!/usr/bin/env node
// Compiles the package's JavaScript and type declarations into dist/ (tsconfig.build.json):
// `npm pack` and `npm publish` run it through `prepack`, so an installed labbook never needs
// tsx. The repository itself runs its TypeScript sources and never reads dist/.
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(fileURLToPath(new URL('..', import.meta.url)));
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');

rmSync(resolve(root, 'dist'), { recursive: true, force: true });
const result = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], { cwd: root, stdio: 'inherit' });
if (result.status !== 0) {
  console.error('build-package: tsc failed; nothing to pack');
  process.exit(result.status ?? 1);
}
