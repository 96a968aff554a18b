import { accessSync, constants, existsSync, readdirSync } from 'node:fs';
import { mkdir, mkdtemp, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';

/** The folder Astro builds in, and where Vite keeps its dependency cache. */
interface SiteWorkspace {
  root: string;
  /** Vite's cache (`vite.cacheDir`): its default, `<root>/node_modules/.vite`, may be read-only. */
  viteCacheDir: string | undefined;
  dispose(): Promise<void>;
}

/** What Astro and Vite make in their project folder, never linked into a mirror. */
const MADE_BY_BUILDS = /^(node_modules|\.astro|\.build-.*)$/;

/**
 * Where the site is built. Astro and Vite write into their project folder (`.astro/`, the staging
 * output, Vite's dependency cache), so a writable site folder is built in place. An installed
 * package may be read-only: a global install by root, used by another account. Then the build runs
 * in a mirror of the package in the temp folder: each entry of the package folder and of its site
 * folder linked into it (so the package root, with its package.json and templates, is found above
 * the modules Astro writes), and the `node_modules` folders that the site folder's modules find
 * packages in linked at the same distances above it. The modules Astro writes then import its
 * dependencies as they would beside the sources, and nothing is written into the package.
 */
export async function siteWorkspace(siteRoot: string, inPlace = writable(siteRoot)): Promise<SiteWorkspace> {
  if (inPlace) return { root: siteRoot, viteCacheDir: undefined, dispose: async () => {} };
  const lookup = nodeModulesLookup(siteRoot);
  const top = await mkdtemp(join(tmpdir(), 'labbook-site-'));
  // `top` is the folder of the last node_modules looked in, `root` its lookup.length - 1 levels
  // below, so each level holds the node_modules it links; the level above `root` mirrors the package.
  let root = top;
  for (let level = Math.max(lookup.length, 2) - 2; level > 0; level--) root = join(root, 'up');
  root = join(root, basename(siteRoot));
  await mkdir(root, { recursive: true });
  await linkEntries(dirname(siteRoot), dirname(root), [basename(siteRoot)]);
  await linkEntries(siteRoot, root, []);
  let folder = root;
  for (const modules of lookup) {
    if (existsSync(modules)) await symlink(modules, join(folder, 'node_modules'), 'dir');
    folder = dirname(folder);
  }
  return {
    root,
    viteCacheDir: join(top, '.vite'),
    dispose: () => rm(top, { recursive: true, force: true }),
  };
}

async function linkEntries(from: string, to: string, except: string[]): Promise<void> {
  for (const entry of readdirSync(from)) {
    if (!MADE_BY_BUILDS.test(entry) && !except.includes(entry)) await symlink(join(from, entry), join(to, entry));
  }
}

function writable(folder: string): boolean {
  try {
    accessSync(folder, constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * The `node_modules` folders Node looks in for a bare import from a module in `folder`, nearest
 * first, as its resolution does (a folder that is itself `node_modules` gets none), up to the
 * nearest one that exists above the folder's package (the project's, or the global prefix's).
 */
export function nodeModulesLookup(folder: string): string[] {
  const lookup: string[] = [];
  let current = folder;
  for (;;) {
    if (basename(current) !== 'node_modules') lookup.push(join(current, 'node_modules'));
    const parent = dirname(current);
    if (parent === current) break;
    current = parent;
  }
  // Beyond the last existing one, the rest find nothing: no levels are made for them.
  let last = lookup.length - 1;
  while (last > 0 && !existsSync(lookup[last]!)) last--;
  return lookup.slice(0, last + 1);
}
