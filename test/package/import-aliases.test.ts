import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/temp-dir.ts';

const REPO = resolve(import.meta.dirname, '../..');

describe('the package.json "imports" aliases (#site/…, #lib/…, #schemas/…)', () => {
  it('resolve with Node inside the installed package, to files the package ships', () => {
    const dir = tempDir('labbook-pack-');
    const [packed] = JSON.parse(
      execFileSync('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', dir], { cwd: REPO, encoding: 'utf8' }),
    ) as [{ filename: string }];
    const installed = join(dir, 'project', 'node_modules', 'labbook');
    mkdirSync(installed, { recursive: true });
    execFileSync('tar', ['-xzf', join(dir, packed.filename), '-C', installed, '--strip-components=1']);
    const imports = (JSON.parse(readFileSync(join(installed, 'package.json'), 'utf8')) as { imports: Record<string, string> }).imports;
    expect(Object.keys(imports).sort()).toEqual(['#lib/*', '#schemas/*', '#site/*']);
    // One module the CLI, one the action bundle and one the pages import through an alias.
    const wanted = ['#site/build/build-site.ts', '#site/view/site-paths.ts', '#lib/compare/compare-runs.ts', '#schemas/trace.ts'];
    writeFileSync(
      join(installed, 'resolve-probe.mjs'),
      `console.log(JSON.stringify(${JSON.stringify(wanted)}.map((s) => import.meta.resolve(s))));\n`,
    );
    const resolved = (
      JSON.parse(execFileSync(process.execPath, [join(installed, 'resolve-probe.mjs')], { encoding: 'utf8' })) as string[]
    ).map((url) => fileURLToPath(url));
    expect(resolved).toEqual([
      join(installed, 'site/build/build-site.ts'),
      join(installed, 'site/view/site-paths.ts'),
      join(installed, 'src/compare/compare-runs.ts'),
      join(installed, 'schemas/trace.ts'),
    ]);
    for (const file of resolved) expect(existsSync(file), file).toBe(true);
  });
});
