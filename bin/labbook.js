#!/usr/bin/env node
// The `labbook` command. Installed from npm it runs the compiled package (dist/, made by
// `npm pack`). In a checkout of Labbook's own repository it runs the TypeScript sources through
// tsx instead, so no build step stands between an edit and a run, and a stale dist/ left by a
// local `npm pack` is never what runs.
import { existsSync } from 'node:fs';
import module from 'node:module';

const compiled = new URL('../dist/src/cli/main.js', import.meta.url);
const checkout = existsSync(new URL('../.git', import.meta.url));
let main;
if (!checkout && existsSync(compiled)) {
  // Node 22.1 and later keep V8's compiled code of the package between commands (in the system's
  // temporary folder, or NODE_COMPILE_CACHE; NODE_DISABLE_COMPILE_CACHE=1 turns it off): about
  // 40 ms off the start of `labbook run` on Node 24. Node 20 has no such cache.
  module.enableCompileCache?.();
  ({ main } = await import(compiled.href));
} else {
  const { register } = await import('tsx/esm/api');
  register();
  ({ main } = await import('../src/cli/main.ts'));
}
// A reader that goes away (`labbook show … | head`) is no error: what is left to print is dropped
// and the command finishes its work. `labbook run` still waits for its command and seals the run.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error) => {
    if (error.code !== 'EPIPE') throw error;
    stream.write = () => true;
  });
}
process.exitCode = await main(process.argv.slice(2));
