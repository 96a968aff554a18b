import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative, resolve, sep } from 'node:path';
import { LabbookError, UsageError } from '#lib/errors/index.ts';
import { packagePath } from '#lib/store/package-root.ts';
import { measureFolder } from '#lib/gc/storage-health.ts';
import { siteAstroConfig } from './astro-config.ts';
import { checkOutputOwner, removeAbandonedStaging, stagingDir, swapIn } from './site-output.ts';
import { siteWorkspace } from './site-workspace.ts';
import type { SiteBuildEvent } from './site-build-events.ts';

/** The Astro project of the site (this package's `site/` folder, from the sources or from dist/). */
const SITE_ROOT = packagePath('site');

interface BuildSiteOptions {
  dataDir: string;
  outDir: string;
  /** Base path, e.g. `/my-repo/` for a GitHub Pages project site. */
  base?: string;
  /** The site's origin, e.g. `https://me.github.io`. */
  site?: string;
  /** `owner/name` (or a URL) that local runs' commits link to and annotations are proposed to. */
  repository?: string | null;
  /** The GitHub server an `owner/name` repository lives on (default https://github.com). */
  serverUrl?: string | null;
  /** The branch that holds the data, where annotation pull requests go (default `main`). */
  dataBranch?: string | null;
  /** The data folder inside the repository, for annotation links (default `experiments`). */
  dataPath?: string | null;
  /** Extra folders the output must not contain or equal (the repository root), named for the message. */
  protect?: GuardedFolder[];
  /** Astro's log: `info` tells every page it renders; `warn` (the default) only what went wrong. */
  logLevel?: 'debug' | 'info' | 'warn' | 'error' | 'silent';
  /** Told of the build's progress: each run's data written, the data pass done, the pages written. */
  onEvent?: (event: SiteBuildEvent) => void;
  /** Replace an output folder that holds files no Labbook build made. */
  force?: boolean;
  /** The per-run cache folder (src/site-cache); without it every run is built from its traces. */
  cacheDir?: string;
  /** The site's size budget in bytes (src/site-budget); default just under GitHub Pages' 1 GB. */
  budgetBytes?: number;
}

const inside = (child: string, parent: string) => {
  const rel = relative(parent, child);
  return rel === '' || (!rel.startsWith('..') && !rel.startsWith(sep) && !resolve(parent, rel).startsWith('..'));
};

/** A folder the build must not empty, and what it is, for the message that refuses it. */
interface GuardedFolder {
  path: string;
  what: string;
}

/**
 * Refuses an output folder the build would be dangerous to empty: the data folder, a folder
 * holding it, the site's sources, or a protected folder such as the repository root.
 */
export function checkOutDir(outDir: string, guarded: readonly GuardedFolder[]): void {
  const out = resolve(outDir);
  for (const { path, what } of guarded) {
    const folder = resolve(path);
    if (inside(folder, out))
      throw new UsageError(
        `--out ${outDir} would be emptied by the build but ${folder === out ? 'is' : 'holds'} ${what} (${folder}); choose a new folder such as _site`,
      );
  }
}

/** Normalises a base path to `/x/y/`. */
export function normalizeBase(base = '/'): string {
  const trimmed = base.trim().replace(/^\/+|\/+$/g, '');
  return trimmed ? `/${trimmed}/` : '/';
}

/** What a finished build made. */
export interface SiteBuildResult {
  outDir: string;
  seconds: number;
  /** HTML pages Astro wrote (the 404 page included). */
  pages: number;
  experiments: number;
  runs: number;
  traces: number;
  /** The site's size on disk. */
  bytes: number;
}

/**
 * Builds the static site with Astro's programmatic API, handing it the site's configuration
 * (site/build/astro-config.ts) from these options; site/astro.config.ts is not read. One build
 * per process at a time (the working folder changes for it).
 */
export async function buildSite(options: BuildSiteOptions): Promise<SiteBuildResult> {
  const dataDir = resolve(options.dataDir);
  const outDir = resolve(options.outDir);
  if (!existsSync(dataDir)) throw new LabbookError(`no data folder at ${dataDir}; record a run first or pass --data`);
  checkOutDir(outDir, [
    { path: dataDir, what: 'the data folder' },
    { path: SITE_ROOT, what: "the site's sources" },
    ...(options.protect ?? []),
    ...(options.cacheDir ? [{ path: options.cacheDir, what: 'the site cache' }] : []),
  ]);
  checkOutputOwner(outDir, options.force ?? false);
  // Fail on an unwritable output before a build that takes seconds, naming the folder asked for.
  await mkdir(outDir, { recursive: true });
  // The site folder, or a writable mirror of it when the package is read-only.
  const workspace = await siteWorkspace(SITE_ROOT);
  await removeAbandonedStaging(workspace.root);
  // Built beside the target and swapped in when complete: a failed build leaves the previous
  // site as it was and no half-built folder behind.
  const staging = stagingDir(workspace.root, outDir);
  const base = normalizeBase(options.base);
  // Not configuration: variables a parent process may have set that Vite would read over
  // import.meta.env (a test runner sets BASE_URL=/, which would drop the base path from every
  // link), and Astro's telemetry, off. Cleared for the build and restored after.
  const ambient: Record<string, string | undefined> = {
    ASTRO_TELEMETRY_DISABLED: '1',
    BASE_URL: undefined,
    SITE: undefined,
    ASSETS_PREFIX: undefined,
    MODE: undefined,
    DEV: undefined,
    PROD: undefined,
    SSR: undefined,
  };
  const saved = Object.fromEntries(Object.keys(ambient).map((k) => [k, process.env[k]]));
  for (const [key, value] of Object.entries(ambient)) {
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
  const cacheDir = await mkdtemp(join(tmpdir(), 'labbook-astro-'));
  const started = performance.now();
  const made = { pages: 0, experiments: 0, runs: 0, traces: 0 };
  const onEvent = (event: SiteBuildEvent) => {
    if (event.kind === 'data') Object.assign(made, { experiments: event.experiments, runs: event.runs, traces: event.traces });
    if (event.kind === 'pages') made.pages = event.pages;
    options.onEvent?.(event);
  };
  // Astro writes the modules it renders pages from under the working directory (`.astro/`),
  // and they import its dependencies: from any folder outside the package Node cannot find them
  // ("Cannot find package 'piccolore'"). Build from the site's own folder, then go back.
  const cwd = process.cwd();
  process.chdir(workspace.root);
  onEvent({ kind: 'start', dataDir, outDir });
  try {
    const { build } = await import('astro');
    const config = siteAstroConfig({
      dataDir,
      base,
      site: options.site ?? null,
      repository: options.repository ?? null,
      serverUrl: options.serverUrl ?? null,
      dataBranch: options.dataBranch ?? null,
      dataPath: options.dataPath ?? null,
      cacheDir: options.cacheDir ? resolve(options.cacheDir) : null,
      budgetBytes: options.budgetBytes ?? null,
      onEvent,
    });
    await build(
      {
        ...config,
        root: workspace.root,
        configFile: false,
        outDir: staging,
        cacheDir,
        ...(workspace.viteCacheDir ? { vite: { ...config.vite, cacheDir: workspace.viteCacheDir } } : {}),
        logLevel: options.logLevel ?? 'warn',
        mode: 'production',
      },
      { teardownCompiler: true },
    );
    await swapIn(staging, outDir);
  } catch (error) {
    await rm(staging, { recursive: true, force: true });
    throw error;
  } finally {
    process.chdir(cwd);
    for (const [key, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
    await rm(cacheDir, { recursive: true, force: true });
    await workspace.dispose();
  }
  const seconds = (performance.now() - started) / 1000;
  return { outDir, seconds, ...made, bytes: (await measureFolder(outDir)).bytes };
}
