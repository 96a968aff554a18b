import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeRun } from '../../../test/helpers/analysis-store.ts';
import { tempDir } from '../../../test/helpers/temp-dir.ts';
import { buildSite } from '#site/build/build-site.ts';

/** Every page of a built site with its text, by relative path (the hashed bundle names aside). */
function pages(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const path = join(d, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (name.endsWith('.html')) out[relative(dir, path)] = readFileSync(path, 'utf8');
    }
  };
  walk(dir);
  return out;
}

describe('a site build with --cache, twice', () => {
  it(
    'keeps each page’s charts in the cache and serves them the second time, with pages identical to the first build',
    { timeout: 240_000 },
    async () => {
      const root = tempDir('labbook-cached-build-');
      const dataDir = join(root, 'experiments');
      const cacheDir = join(root, 'cache');
      await writeRun(root, dataDir, { variant: 0, traces: 12 });
      await writeRun(root, dataDir, { variant: 1, traces: 12 });
      await buildSite({ dataDir, outDir: join(root, 'one'), cacheDir, logLevel: 'silent' });
      const charts = join(cacheDir, '.charts');
      const drawn = readdirSync(charts).filter((f) => f.endsWith('.svg'));
      expect(drawn.length).toBeGreaterThan(2);
      const first = pages(join(root, 'one'));
      expect(Object.values(first).join('\n')).toContain(
        readFileSync(join(charts, drawn[0]!), 'utf8').replace(/^<svg /, '<svg aria-hidden="true" focusable="false" '),
      );
      await buildSite({ dataDir, outDir: join(root, 'two'), cacheDir, logLevel: 'silent' });
      expect(
        readdirSync(charts)
          .filter((f) => f.endsWith('.svg'))
          .sort(),
      ).toEqual(drawn.sort());
      expect(pages(join(root, 'two'))).toEqual(first);
      // A run's data files in the second site are the cache's own files, linked, not copies.
      const run = readdirSync(join(root, 'two', 'data', 'demo')).find((name) =>
        statSync(join(root, 'two', 'data', 'demo', name)).isDirectory(),
      )!;
      const entry = join(cacheDir, 'demo', run);
      const [key] = readdirSync(entry);
      expect(statSync(join(root, 'two', 'data', 'demo', run, 'meta.json')).ino).toBe(statSync(join(entry, key!, 'files', 'meta.json')).ino);
    },
  );
});
