import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const MARKER = '.labbook-demo';

/**
 * Empties the demo's folder so each demo starts from nothing (no runs piling up), but only a
 * folder the demo made itself (it holds a marker file), a new one or an empty one: `--dir`
 * pointing at someone's project must never be wiped.
 */
export function resetDemoFolder(dir: string): void {
  if (existsSync(dir) && readdirSync(dir).length > 0) {
    if (!existsSync(join(dir, MARKER))) {
      console.error(`demo: ${dir} is not empty and was not made by the demo; give a new or empty folder with --dir`);
      process.exit(2);
    }
    rmSync(dir, { recursive: true, force: true });
  }
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, MARKER), 'Made by `npm run demo`, which empties this folder each time it runs.\n');
}
