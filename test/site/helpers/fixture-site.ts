/**
 * One fixture site per test run, shared by every site test file (each runs in its own
 * process): the first process to get here builds it under a cache folder keyed by the sources
 * that shape it; the others wait for it. Served under a base path, as on GitHub Pages.
 * A second, small site holds what would change the main fixture's counts (a 60-level trace).
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { promisify } from 'node:util';
import { chromium, type Browser, type Page } from 'playwright-core';
import { type RunningServer, startStaticServer } from '../../../site/build/static-server.ts';
import { CHROMIUM_ARGS, chromiumPath } from '../../../src/export/print-pdf.ts';
import { type FixtureInfo, makeFixture } from '../fixtures/make-fixture.ts';
import { type DeepFixtureInfo, makeDeepFixture } from '../fixtures/make-deep-fixture.ts';

const REPO = join(import.meta.dirname, '..', '..', '..');
export const BASE = '/lab/';
const SOURCES = [
  'site/src',
  'site/astro.config.ts',
  'site/public',
  'site/build',
  'site/view',
  'src/charts',
  'src/json',
  'src/store',
  'src/compare',
  // The comparison's statistics and text helpers are bundled into the site too.
  'src/stats',
  'src/text',
  'src/aggregate',
  'src/annotations',
  'src/deploy',
  'src/export',
  'src/analysis',
  'schemas',
  'test/site/fixtures',
];
/** The branch the fixture site proposes annotations to (`--data-branch`). */
export const DATA_BRANCH = 'labbook-data';

async function sourceHash(): Promise<string> {
  const hash = createHash('sha256');
  const walk = async (path: string): Promise<void> => {
    const info = await stat(path).catch(() => null);
    if (!info) return;
    if (info.isDirectory()) {
      for (const entry of (await readdir(path)).sort()) await walk(join(path, entry));
    } else {
      hash.update(relative(REPO, path)).update(await readFile(path));
    }
  };
  for (const source of SOURCES) await walk(join(REPO, source));
  return hash.digest('hex').slice(0, 16);
}

export interface FixtureSite {
  dir: string;
  info: FixtureInfo;
  /** The site's URL including the base path, ending in `/`. */
  url: string;
  server: RunningServer;
}

/** Builds the site of the data `make` writes, once per source hash and `name`. */
async function buildOnce<Info extends { dataDir: string }>(
  name: string,
  make: (root: string) => Promise<Info>,
): Promise<{ dir: string; info: Info }> {
  const cacheRoot = join(tmpdir(), 'labbook-site-test');
  const hash = await sourceHash();
  const dir = join(cacheRoot, name === 'main' ? hash : `${hash}-${name}`);
  const ready = join(dir, 'ready.json');
  const lock = `${dir}.lock`;
  await mkdir(cacheRoot, { recursive: true });
  for (let waited = 0; !existsSync(ready); waited += 500) {
    try {
      await mkdir(lock);
    } catch {
      if (waited > 280_000) throw new Error(`gave up waiting for another process to build the fixture site (${lock})`);
      await new Promise((r) => setTimeout(r, 500));
      continue;
    }
    try {
      await rm(dir, { recursive: true, force: true });
      const info = await make(join(dir, 'fixture'));
      await promisify(execFile)(
        process.execPath,
        [
          join(REPO, 'bin', 'labbook.js'),
          'site',
          'build',
          '--data',
          info.dataDir,
          '--out',
          join(dir, 'site'),
          '--base',
          BASE,
          '--data-branch',
          DATA_BRANCH,
        ],
        {
          cwd: REPO,
          maxBuffer: 64 * 1024 * 1024,
        },
      );
      await writeFile(ready, JSON.stringify(info));
    } finally {
      await rm(lock, { recursive: true, force: true });
    }
  }
  return { dir: join(dir, 'site'), info: JSON.parse(await readFile(ready, 'utf8')) as Info };
}

export async function fixtureSite(): Promise<FixtureSite> {
  const { dir, info } = await buildOnce('main', makeFixture);
  const server = await startStaticServer({ root: dir, base: BASE });
  return { dir, info, url: server.url, server };
}

/** The small site with one 60-level trace (see make-deep-fixture.ts), served like fixtureSite. */
export async function deepFixtureSite(): Promise<Omit<FixtureSite, 'info'> & { info: DeepFixtureInfo }> {
  const { dir, info } = await buildOnce('deep', makeDeepFixture);
  const server = await startStaticServer({ root: dir, base: BASE });
  return { dir, info, url: server.url, server };
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: chromiumPath(), args: CHROMIUM_ARGS });
}

/** What a page did that it must never do (see watchPage). */
export interface PageWatch {
  errors: string[];
  dialogs: string[];
  external: string[];
}

/** The fixture site served, Chromium, and one watched page at `viewport`: a file's set-up. */
export async function openSitePage(viewport: {
  width: number;
  height: number;
}): Promise<{ site: FixtureSite; browser: Browser; page: Page; seen: PageWatch }> {
  const site = await fixtureSite();
  const browser = await launchChromium();
  const page = await browser.newPage({ viewport });
  return { site, browser, page, seen: watchPage(page, site.url) };
}

/** Undoes openSitePage (either may be unset when the set-up failed part way). */
export async function closeSitePage(site: FixtureSite | undefined, browser: Browser | undefined): Promise<void> {
  await browser?.close();
  await site?.server.close();
}

/** Collects what a page must never do: uncaught errors, console errors, dialogs, requests off the site. */
export function watchPage(page: Page, siteUrl: string): PageWatch {
  const seen: PageWatch = { errors: [], dialogs: [], external: [] };
  page.on('pageerror', (error) => seen.errors.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error') seen.errors.push(message.text());
  });
  page.on('dialog', (dialog) => {
    seen.dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  const origin = new URL(siteUrl).origin;
  page.on('request', (request) => {
    if (!request.url().startsWith(origin) && !request.url().startsWith('data:')) seen.external.push(request.url());
  });
  return seen;
}
