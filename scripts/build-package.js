#!/usr/bin/env node
// Compiles the package's JavaScript and type declarations into dist/ (tsconfig.build.json):
// `npm pack` and `npm publish` run it through `prepack`, so an installed labbook never needs
// tsx. The repository itself runs its TypeScript sources and never reads dist/.
//
// The sources import across folders through package.json "imports" (`#lib/…`, `#site/…`,
// `#schemas/…`, naming `.ts` files). tsc rewrites relative `.ts` imports to `.js` but not these
// (it reports TS2877 for each and emits them as written), so they are rewritten here, after
// tsc, into relative paths to the compiled `.js` files: dist/ then needs no "imports" map, and
// the map keeps pointing at the sources, which the site's Astro build compiles itself.
import { spawnSync } from 'node:child_process';
import { build } from 'esbuild';
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(fileURLToPath(new URL('..', import.meta.url)));
const dist = join(root, 'dist');
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
/** Where each alias of package.json "imports" lands inside dist/. */
const ALIASES = { lib: 'src', site: 'site', schemas: 'schemas' };

rmSync(dist, { recursive: true, force: true });
const result = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.build.json', '--pretty', 'false'], { cwd: root, encoding: 'utf8' });
const errors = `${result.stdout}${result.stderr}`.split('\n').filter((line) => /error TS\d+/.test(line) && !/error TS2877:/.test(line));
if (errors.length > 0 || result.error) {
  console.error(errors.join('\n') || String(result.error));
  console.error('build-package: tsc failed; nothing to pack');
  process.exit(1);
}

let rewritten = 0;
for (const file of walk(dist)) {
  if (!/\.(js|d\.ts)$/.test(file)) continue;
  const text = readFileSync(file, 'utf8');
  const next = text.replace(/(['"])#(lib|site|schemas)\/([^'"]+?)\.ts\1/g, (_, quote, alias, path) => {
    let target = relative(dirname(file), join(dist, ALIASES[alias], `${path}.js`))
      .split('\\')
      .join('/');
    if (!target.startsWith('.')) target = `./${target}`;
    rewritten++;
    return `${quote}${target}${quote}`;
  });
  if (next !== text) writeFileSync(file, next);
}
// zod, bundled into one module of dist/ without the translations of its messages. Imported from
// its package it loads 95 modules, 64 of them locales Labbook never uses (it speaks English,
// which zod registers itself), about 60 ms of the start of every command that checks a file,
// `labbook run` included. Types (.d.ts) still name the package, whose version this is.
const VENDORED_ZOD = join(dist, 'vendor', 'zod.js');
await build({
  stdin: { contents: "export * from 'zod';", resolveDir: root, loader: 'js' },
  bundle: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  outfile: VENDORED_ZOD,
  legalComments: 'inline',
  logLevel: 'warning',
  plugins: [
    {
      name: 'english-only',
      setup(esbuild) {
        esbuild.onLoad({ filter: /[\\/]zod[\\/]v4[\\/]locales[\\/]index\.js$/ }, () => ({
          contents: 'export { default as en } from "./en.js";',
          loader: 'js',
        }));
      },
    },
  ],
});
for (const file of walk(dist)) {
  if (!file.endsWith('.js') || file === VENDORED_ZOD) continue;
  const text = readFileSync(file, 'utf8');
  const next = text.replace(/(from\s*)(['"])zod\2/g, (_, from, quote) => {
    let target = relative(dirname(file), VENDORED_ZOD).split('\\').join('/');
    if (!target.startsWith('.')) target = `./${target}`;
    return `${from}${quote}${target}${quote}`;
  });
  if (next !== text) writeFileSync(file, next);
}

const left = walk(dist).filter((file) => /\.(js|d\.ts)$/.test(file) && /(['"])#(lib|site|schemas)\//.test(readFileSync(file, 'utf8')));
if (left.length > 0) {
  console.error(`build-package: an alias import was left in ${left.join(', ')}`);
  process.exit(1);
}
const zodLeft = walk(dist).filter((file) => file.endsWith('.js') && /from\s*['"]zod['"]/.test(readFileSync(file, 'utf8')));
if (zodLeft.length > 0) {
  console.error(`build-package: an import of zod's package was left in ${zodLeft.join(', ')}`);
  process.exit(1);
}
console.error(`build-package: dist/ compiled (${rewritten} alias imports made relative)`);

function walk(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? walk(join(dir, entry.name)) : [join(dir, entry.name)],
  );
}
