import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const REPO = resolve(import.meta.dirname, '..');
let launcher: string | undefined;

/**
 * A script that runs `labbook` from the compiled package (dist/, as `npm pack` builds it), the
 * JavaScript a user installs. In a checkout bin/labbook.js runs the TypeScript through tsx
 * instead, which adds about a second of start-up and 25 MB of memory to every command: benches
 * of a command's time or peak memory run this instead. dist/ is compiled once per bench process.
 */
export function compiledCli(): string {
  if (launcher) return launcher;
  const build = spawnSync(process.execPath, [join(REPO, 'scripts', 'build-package.js')], { cwd: REPO, encoding: 'utf8' });
  if (build.status !== 0) throw new Error(`compiling dist/ failed:\n${build.stdout}${build.stderr}`);
  launcher = join(mkdtempSync(join(tmpdir(), 'labbook-bench-cli-')), 'labbook.mjs');
  writeFileSync(
    launcher,
    `import { main } from ${JSON.stringify(pathToFileURL(join(REPO, 'dist', 'src', 'cli', 'main.js')).href)};\nprocess.exitCode = await main(process.argv.slice(2));\n`,
  );
  return launcher;
}
