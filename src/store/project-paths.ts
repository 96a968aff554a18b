import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { parseProjectConfig } from './project-config.ts';
import { FileFormatError } from '../errors/index.ts';
import { closestName } from '../text/closest-name.ts';
import { yamlKeyPosition, yamlPathPositions } from './yaml-path-positions.ts';

interface ProjectPaths {
  rootDir: string;
  dataDir: string;
}

/**
 * Finds the repository root (the nearest folder up from `cwd` that holds `labbook.config.yaml`
 * or `.git`) and the data folder: the `--data` flag, else the config's `data`, else `experiments`.
 */
export async function resolveProjectPaths(cwd: string, dataFlag?: string): Promise<ProjectPaths> {
  const rootDir = findRoot(cwd);
  const configFile = join(rootDir, 'labbook.config.yaml');
  // Read whenever it is there: a misspelt setting is refused even when --data makes `data` moot.
  const text = existsSync(configFile) ? await readFile(configFile, 'utf8') : null;
  const config = text === null ? null : parseProjectConfig(text, configFile);
  if (config) {
    await checkSettingNames(config, text!, configFile);
    await checkTextSettings(config, text!, configFile);
  }
  if (dataFlag) return { rootDir, dataDir: resolve(cwd, dataFlag) };
  if (typeof config?.data === 'string') return { rootDir, dataDir: resolve(rootDir, config.data) };
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

/**
 * The settings labbook.config.yaml takes, each read where it is used: `data` here, `dataBranch`
 * and `repository` by the site build, `retention` by gc (retention-policy.ts), `storage` by
 * sealing (storage-settings.ts), `site` by the site's size budget. A misspelt one would
 * otherwise be ignored in silence, and `gc --apply` act on the default policy.
 */
const PROJECT_SETTINGS = ['data', 'dataBranch', 'repository', 'retention', 'site', 'storage'] as const;

async function checkSettingNames(config: Record<string, unknown>, text: string, file: string): Promise<void> {
  const unknown = Object.keys(config).find((key) => !(PROJECT_SETTINGS as readonly string[]).includes(key));
  if (unknown === undefined) return;
  const meant = closestName(unknown, PROJECT_SETTINGS);
  throw new FileFormatError(
    { file, ...(await yamlKeyPosition(text, unknown)), field: unknown },
    `unknown setting${meant ? ` (did you mean ${meant}?)` : ''}; labbook.config.yaml takes ${PROJECT_SETTINGS.join(', ')}`,
  );
}

/** The settings that are one line of text, and what each holds, for the error. */
const TEXT_SETTINGS = {
  data: 'a folder, such as experiments',
  dataBranch: 'a branch, such as labbook-data',
  repository: 'owner/name',
} as const;

/**
 * A text setting given as something else (`data: 5`, `data: [a]`, `data: ""`) is refused with
 * its line: ignored, it would send runs to the default folder, or an empty `data` to the
 * repository root, without a word.
 */
async function checkTextSettings(config: Record<string, unknown>, text: string, file: string): Promise<void> {
  for (const [key, holds] of Object.entries(TEXT_SETTINGS)) {
    const value = config[key];
    if (value === undefined || (typeof value === 'string' && value.trim() !== '')) continue;
    const got =
      typeof value === 'string'
        ? 'empty text'
        : value === null
          ? 'nothing'
          : Array.isArray(value)
            ? 'a list'
            : typeof value === 'object'
              ? 'a mapping'
              : `${typeof value} ${String(value)}`;
    throw new FileFormatError({ file, ...(await yamlPathPositions(text))([key]), field: key }, `must be ${holds}, got ${got}`);
  }
}
