import { formatBytes } from '../text/format-bytes.ts';
import { readdir, stat } from 'node:fs/promises';
import { join, relative } from 'node:path';

/** GitHub refuses a pushed file over 100 MiB, and warns from 50 MiB. */
const GITHUB_FILE_LIMIT = 100 * 1024 * 1024;
const GITHUB_FILE_WARNING = 50 * 1024 * 1024;
/** A GitHub Pages site may be at most 1 GB; GitHub also asks repositories to stay under 1 GB. */
const GITHUB_PAGES_LIMIT = 1024 * 1024 * 1024;

interface FolderSize {
  bytes: number;
  files: number;
  largest: { path: string; bytes: number } | null;
}

/** Total size, file count and largest file under a folder (`.git` left out). */
export async function measureFolder(root: string): Promise<FolderSize> {
  const result: FolderSize = { bytes: 0, files: 0, largest: null };
  const walk = async (dir: string): Promise<void> => {
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      if (entry.name === '.git') continue;
      const path = join(dir, entry.name);
      if (entry.isDirectory()) await walk(path);
      else if (entry.isFile()) {
        const { size } = await stat(path);
        result.bytes += size;
        result.files++;
        if (!result.largest || size > result.largest.bytes) result.largest = { path: relative(root, path), bytes: size };
      }
    }
  };
  await walk(root);
  return result;
}

/** Warnings for what is near or over a GitHub limit; empty when all is well. */
export function limitWarnings(data: FolderSize, site?: FolderSize): string[] {
  const warnings: string[] = [];
  if (data.largest && data.largest.bytes > GITHUB_FILE_LIMIT)
    warnings.push(`${data.largest.path} is ${formatBytes(data.largest.bytes)}: GitHub refuses files over 100 MiB on push`);
  else if (data.largest && data.largest.bytes >= GITHUB_FILE_WARNING)
    warnings.push(
      `${data.largest.path} is ${formatBytes(data.largest.bytes)}: GitHub warns from 50 MiB and refuses over 100 MiB ("labbook compact" compresses old runs)`,
    );
  if (data.bytes >= 0.8 * GITHUB_PAGES_LIMIT)
    warnings.push(
      `the data is ${formatBytes(data.bytes)}: GitHub asks repositories to stay under 1 GB ("labbook gc" removes runs the retention policy lets go)`,
    );
  if (site && site.bytes >= 0.8 * GITHUB_PAGES_LIMIT)
    warnings.push(`the site is ${formatBytes(site.bytes)}: a GitHub Pages site may be at most 1 GB`);
  return warnings;
}
