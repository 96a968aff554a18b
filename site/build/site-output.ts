import { randomBytes } from 'node:crypto';
import { readdirSync, statSync } from 'node:fs';
import { cp, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { UsageError } from '#lib/errors/index.ts';

/**
 * The file a site build leaves in its output folder. Only a folder that is empty, absent, or
 * holds this file is replaced by the next build: Labbook never deletes what it did not make.
 */
const SITE_MARKER = '.labbook-site';

/** Refuses an output folder that holds someone else's files, unless `force`. */
export function checkOutputOwner(outDir: string, force: boolean): void {
  let entries: string[];
  try {
    if (!statSync(outDir).isDirectory()) throw new UsageError(`--out ${outDir} is a file, not a folder; choose a folder such as _site`);
    entries = readdirSync(outDir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    if ((error as NodeJS.ErrnoException).code === 'ENOTDIR')
      throw new UsageError(`--out ${outDir}: a part of that path is a file, not a folder; choose a folder such as _site`);
    throw error;
  }
  if (entries.length === 0 || entries.includes(SITE_MARKER) || force) return;
  const shown = entries.slice(0, 3).join(', ') + (entries.length > 3 ? `, … (${entries.length} entries)` : '');
  throw new UsageError(
    `--out ${outDir} holds files a Labbook build did not make (${shown}); choose an empty or new folder, or pass --force to replace it`,
  );
}

/**
 * A fresh folder to build into, inside the site's own project folder: Astro renders the pages
 * from modules it writes into the output folder, and those import Astro's dependencies, which
 * Node finds only from a folder under the package's node_modules — not from a user's `_site`
 * elsewhere on disk (the "Cannot find package 'piccolore'" error).
 */
export function stagingDir(siteRoot: string, outDir: string): string {
  return join(siteRoot, `.build-${basename(outDir)}-${randomBytes(4).toString('hex')}`);
}

/** Older than this, a staging folder is a killed build's (Ctrl+C, a CI timeout), not a running one's. */
const ABANDONED_AFTER_MS = 24 * 60 * 60 * 1000;

/**
 * Removes the staging folders that builds killed before their clean-up left in the site folder,
 * so they do not pile up in the installed package.
 */
export async function removeAbandonedStaging(siteRoot: string, now = Date.now()): Promise<void> {
  for (const entry of readdirSync(siteRoot)) {
    if (!entry.startsWith('.build-')) continue;
    const folder = join(siteRoot, entry);
    const modified = statSync(folder, { throwIfNoEntry: false })?.mtimeMs;
    if (modified !== undefined && now - modified > ABANDONED_AFTER_MS) await rm(folder, { recursive: true, force: true });
  }
}

/**
 * Puts a finished build in place: marks it, moves the previous site aside, renames the new one
 * in, then removes the old. A build that failed never gets here, so the previous site stays.
 */
export async function swapIn(staging: string, outDir: string): Promise<void> {
  await writeFile(join(staging, SITE_MARKER), 'Made by "labbook site build". The next build replaces this folder.\n');
  const old = join(dirname(outDir), `.${basename(outDir)}.labbook-old-${randomBytes(4).toString('hex')}`);
  // The staging folder may sit on another filesystem than the output: then copy, not rename.
  const incoming = join(dirname(outDir), `.${basename(outDir)}.labbook-new-${randomBytes(4).toString('hex')}`);
  try {
    await rename(staging, incoming);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EXDEV') throw error;
    await cp(staging, incoming, { recursive: true });
    await rm(staging, { recursive: true, force: true });
  }
  let moved = false;
  try {
    await rename(outDir, old);
    moved = true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  try {
    await rename(incoming, outDir);
  } catch (error) {
    await rm(incoming, { recursive: true, force: true });
    if (moved) await rename(old, outDir);
    throw error;
  }
  if (moved) await rm(old, { recursive: true, force: true });
}
