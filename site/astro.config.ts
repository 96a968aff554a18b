import { resolve } from 'node:path';
import { defineConfig } from 'astro/config';
import { siteAstroConfig } from './build/astro-config.ts';

/*
 * For running Astro on the site directly (`astro dev`, `astro build` in site/), configured by
 * the environment. `labbook site build` does not read this file: it hands Astro the same
 * configuration from its own options (site/build/build-site.ts).
 *   LABBOOK_DATA   the experiments/ folder (default: ./experiments of the current folder)
 *   LABBOOK_BASE   base path for a GitHub Pages project site, e.g. /my-repo/
 *   LABBOOK_SITE   the site's origin, e.g. https://me.github.io
 *   LABBOOK_REPOSITORY  owner/name that local runs' commits link to and annotations are proposed
 *                       to (else GITHUB_REPOSITORY; CI runs use the repository that made them)
 *   LABBOOK_DATA_BRANCH the branch that holds the data, where annotation pull requests go (default main)
 *   LABBOOK_DATA_PATH   the data folder inside the repository (default experiments)
 *   LABBOOK_SITE_CACHE  the per-run cache folder (labbook site build --cache); none: no cache
 *   LABBOOK_SITE_BUDGET the site's size budget in bytes (site.budgetMegabytes); default 900 MB
 */
const env = process.env;

export default defineConfig(
  siteAstroConfig({
    dataDir: resolve(env.LABBOOK_DATA || 'experiments'),
    base: env.LABBOOK_BASE || '/',
    site: env.LABBOOK_SITE || null,
    repository: env.LABBOOK_REPOSITORY || env.GITHUB_REPOSITORY || null,
    serverUrl: env.GITHUB_SERVER_URL || null,
    dataBranch: env.LABBOOK_DATA_BRANCH || null,
    dataPath: env.LABBOOK_DATA_PATH || null,
    cacheDir: env.LABBOOK_SITE_CACHE ? resolve(env.LABBOOK_SITE_CACHE) : null,
    budgetBytes: Number(env.LABBOOK_SITE_BUDGET) > 0 ? Number(env.LABBOOK_SITE_BUDGET) : null,
  }),
);
