import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { parseYamlMapping } from './yaml.ts';

export interface ProjectPaths {
  rootDir: string;
  dataDir: string;
}

/**
 * Finds the repository root (the nearest folder up from `cwd` that holds `labbook.config.yaml`
 * or `.git`) and the data folder: the `--data` flag, else the config's `data`, else `experiments`.
 */
export async function resolveProjectPaths(cwd: string, dataFlag?: string): Promise<ProjectPaths> {
  const rootDir = findRoot(cwd);
  if (dataFlag) return { rootDir, dataDir: resolve(cwd, dataFlag) };
  const configFile = join(rootDir, 'labbook.config.yaml');
  if (existsSync(configFile)) {
    const config = parseYamlMapping(await readFile(configFile, 'utf8'), configFile);
    if (typeof config.data === 'string') return { rootDir, dataDir: resolve(rootDir, config.data) };
  }
  return { rootDir, dataDir: resolve(rootDir, 'experiments') };
}

function findRoot(cwd: string): string {
  let dir = resolve(cwd);
  for (;;) {
    if (existsSync(join(dir, 'labbook.config.yaml')) || existsSync(join(dir, '.git'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) return resolve(cwd);
    dir = parent;
  }
}
