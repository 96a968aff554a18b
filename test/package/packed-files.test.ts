import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const REPO = resolve(import.meta.dirname, '../..');

describe('what npm pack ships', () => {
  it('is what a user runs: the CLI, the library, the site and the templates, and no tests, fixtures or benchmarks', () => {
    const [pack] = JSON.parse(execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: REPO, encoding: 'utf8' })) as [{ files: { path: string }[] }];
    const files = pack.files.map((f) => f.path);
    for (const needed of ['bin/labbook.js', 'src/cli/main.ts', 'src/sdk/index.ts', 'schemas/json/trace.schema.json', 'site/astro.config.ts', 'templates/init/eval.py', 'package.json', 'README.md']) {
      expect(files, needed).toContain(needed);
    }
    // Top-level folders of the repository only: the site has page routes named experiments/.
    expect(files.filter((f) => /\.test\.ts$|^(test|bench|examples|experiments|scripts|action|docs|\.github|\.ci)\/|\/__fixtures__\//.test(f))).toEqual([]);
  });
});
