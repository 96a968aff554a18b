import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { FileFormatError } from '../errors/index.ts';
import { DEFAULT_CHUNK_BYTES } from './trace-storage.ts';
import { readProjectConfig } from './project-config.ts';

export interface StorageSettings {
  /** Plain bytes of JSON after which a sealed run's next trace chunk starts. */
  chunkBytes: number;
  /** gzip level of the chunks (CHUNK_GZIP_LEVEL when unset). */
  level?: number;
}

const DEFAULT_STORAGE_SETTINGS: StorageSettings = { chunkBytes: DEFAULT_CHUNK_BYTES };

/** GitHub refuses files over 100 MiB; a chunk compresses 10–20×, so this bound leaves a wide margin. */
const MAX_CHUNK_MEGABYTES = 1024;

/**
 * The `storage:` section of the nearest `labbook.config.yaml` above `fromDir` (a run folder, say):
 *
 *     storage:
 *       chunkMegabytes: 32   # uncompressed JSON per trace chunk of a sealed run
 *       gzipLevel: 4         # 1 (fastest) to 9 (smallest)
 */
export async function readStorageSettings(fromDir: string): Promise<StorageSettings> {
  const file = findConfigFile(fromDir);
  if (!file) return DEFAULT_STORAGE_SETTINGS;
  const config = await readProjectConfig(file);
  const storage = config.storage;
  if (storage === undefined || storage === null) return DEFAULT_STORAGE_SETTINGS;
  if (typeof storage !== 'object' || Array.isArray(storage))
    throw new FileFormatError({ file, field: 'storage' }, 'must be a mapping (chunkMegabytes: 32)');
  const { chunkMegabytes, gzipLevel, ...unknown } = storage as Record<string, unknown>;
  const extra = Object.keys(unknown)[0];
  if (extra) throw new FileFormatError({ file, field: `storage.${extra}` }, 'unknown setting; storage takes chunkMegabytes and gzipLevel');
  const settings: StorageSettings = { ...DEFAULT_STORAGE_SETTINGS };
  if (chunkMegabytes !== undefined) {
    if (typeof chunkMegabytes !== 'number' || !(chunkMegabytes > 0) || chunkMegabytes > MAX_CHUNK_MEGABYTES) {
      throw new FileFormatError(
        { file, field: 'storage.chunkMegabytes' },
        `must be a number of megabytes above 0 and at most ${MAX_CHUNK_MEGABYTES}, got ${JSON.stringify(chunkMegabytes)}`,
      );
    }
    settings.chunkBytes = Math.round(chunkMegabytes * 1024 * 1024);
  }
  if (gzipLevel !== undefined) {
    if (!Number.isInteger(gzipLevel) || (gzipLevel as number) < 1 || (gzipLevel as number) > 9) {
      throw new FileFormatError(
        { file, field: 'storage.gzipLevel' },
        `must be a whole number from 1 (fastest) to 9 (smallest), got ${JSON.stringify(gzipLevel)}`,
      );
    }
    settings.level = gzipLevel as number;
  }
  return settings;
}

/** The nearest `labbook.config.yaml` from `fromDir` up to the repository root, if any. */
export function findConfigFile(fromDir: string): string | undefined {
  let dir = resolve(fromDir);
  for (;;) {
    const file = join(dir, 'labbook.config.yaml');
    if (existsSync(file)) return file;
    if (existsSync(join(dir, '.git'))) return undefined;
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}
