import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO } from './labbook-package.ts';

/** The folders README's "The map" table names (`src/gc/`, `site/`, each in backticks). */
function mappedFolders(): Set<string> {
  const readme = readFileSync(join(REPO, 'README.md'), 'utf8');
  const map = readme.slice(readme.indexOf('## The map'), readme.indexOf('\n## ', readme.indexOf('## The map') + 1));
  return new Set([...map.matchAll(/^\| ([^|]+) \|/gm)].flatMap((row) => [...row[1]!.matchAll(/`([^`]+?)\/?`/g)].map((m) => m[1]!)));
}

describe("README's map", () => {
  it('names every tracked top-level folder and every folder of src/', () => {
    const tracked = execFileSync('git', ['ls-files'], { cwd: REPO, encoding: 'utf8' }).trim().split('\n');
    const folders = new Set(tracked.filter((file) => file.includes('/')).map((file) => file.split('/')[0]!));
    const srcFolders = new Set(tracked.filter((file) => /^src\/[^/]+\//.test(file)).map((file) => file.split('/').slice(0, 2).join('/')));
    const mapped = mappedFolders();
    const unmapped = [...folders, ...srcFolders].filter((folder) => folder !== 'src' && folder !== '.github' && !mapped.has(folder));
    expect(unmapped, 'add a row for each to "The map" in README.md').toEqual([]);
  });
});
