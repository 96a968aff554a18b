#!/usr/bin/env node
// The `labbook` command. Installed from npm it runs the compiled package (dist/, made by
// `npm pack`). In a checkout of Labbook's own repository it runs the TypeScript sources through
// tsx instead, so no build step stands between an edit and a run, and a stale dist/ left by a
// local `npm pack` is never what runs.
import { existsSync } from 'node:fs';

const compiled = new URL('../dist/src/cli/main.js', import.meta.url);
const checkout = existsSync(new URL('../.git', import.meta.url));
let main;
if (!checkout && existsSync(compiled)) {
  ({ main } = await import(compiled.href));
} else {
  const { register } = await import('tsx/esm/api');
  register();
  ({ main } = await import('../src/cli/main.ts'));
}
process.exitCode = await main(process.argv.slice(2));
