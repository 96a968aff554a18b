import { copyFile, mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AstroIntegration, AstroIntegrationLogger } from 'astro';
import { type AnnotateOptions, DEFAULT_ANNOTATE_OPTIONS } from '#site/view/annotate-target.ts';
import { pruneChartSvgCache } from '#lib/charts/chart-svg-cache.ts';
import { countNoun } from '#lib/text/count-noun.ts';
import type { TraceColumnScan } from '#lib/export/traces-csv.ts';
import { loadSite } from './load-site.ts';
import { skipQueuesWithMissingTraces } from './site-queues.ts';
import { parseRepoRef, repoUrl, runRepo, type RepoRef } from '#site/view/repo-links.ts';
import { applySiteBudget, dataBranchRunUrl, DEFAULT_SITE_BUDGET_BYTES } from './site-budget/site-budget.ts';
import { CachedSiteData } from './site-cache/cached-site-data.ts';
import { releaseMemory } from './release-memory.ts';
import { siteModelPlugin } from './site-model-module.ts';
import type { SiteModel } from '#site/view/site-model.ts';
import { writeSiteCsv } from './write-site-csv.ts';
import { writeSiteData } from './write-site-data.ts';
import type { SiteBuildEvent } from './site-build-events.ts';
import { staticFiles } from './static-server.ts';

export interface LabbookDataOptions {
  /** The `experiments/` folder (absolute). */
  dataDir: string;
  /** The repository local runs link to (`owner/name` or a URL), when known. */
  repository?: string | null;
  serverUrl?: string | null;
  /** The branch that holds the data, where annotation pull requests go (default `main`). */
  dataBranch?: string | null;
  /** The data folder inside the repository (default `experiments`). */
  dataPath?: string | null;
  /** The per-run cache folder (`labbook site build --cache`); none: every run is built from its traces. */
  cacheDir?: string | null;
  /** The site's size budget in bytes (`site.budgetMegabytes`); default just under Pages' 1 GB. */
  budgetBytes?: number | null;
  /** Told of the build's progress (`labbook site build` shows it when Astro's log is quiet). */
  onEvent?: (event: SiteBuildEvent) => void;
}

/**
 * Runs the data pass before the pages render: reads the data folder through the store, writes
 * each run's table rows, trace chunks and meta into `<outDir>/data/`, and hands the pages a
 * finished model as the module `virtual:labbook/site`. Astro empties the output folder after `astro:build:start`, so this
 * integration turns that off and empties it itself first.
 */
export function labbookData(options: LabbookDataOptions): AstroIntegration {
  let outDir = '';
  let root = new URL('file:///');
  let model: SiteModel | null = null;
  let command = '';
  const buildStarted = Date.now();
  const siteRepo: RepoRef | null = parseRepoRef(options.repository ?? null, options.serverUrl ?? undefined);
  const annotate: AnnotateOptions = {
    branch: options.dataBranch?.trim() || DEFAULT_ANNOTATE_OPTIONS.branch,
    dataPath: options.dataPath?.trim() || DEFAULT_ANNOTATE_OPTIONS.dataPath,
  };

  const run = async (target: string, logger: AstroIntegrationLogger) => {
    const started = performance.now();
    const loaded = await loadSite(options.dataDir);
    for (const warning of loaded.warnings) logger.warn(warning);
    const cache = options.cacheDir
      ? new CachedSiteData({ cacheDir: options.cacheDir, siteRoot: target, siteRepo, warn: (w) => logger.warn(w) })
      : undefined;
    const csvColumns = new Map<string, TraceColumnScan>();
    const data = await writeSiteData(loaded, target, {
      siteRepo,
      cache,
      csvColumns,
      onRun: (summary, done, total) => {
        if (total > 3) logger.info(`data ${done}/${total}: ${summary.experiment}/${summary.run} (${summary.traces} traces)`);
        options.onEvent?.({ kind: 'run', done, total });
        for (const warning of summary.warnings) logger.warn(warning);
      },
    });
    // A queue's listed traces are checked against the ids the data pass has just written.
    const site = await skipQueuesWithMissingTraces(loaded, target, (w) => logger.warn(w));
    const csvStarted = performance.now();
    const csv = await writeSiteCsv(site, target, { reused: cache?.reused, scanned: csvColumns });
    for (const warning of csv.warnings) logger.warn(warning);
    const cacheReport = cache ? await cache.finish() : null;
    if (cacheReport) logger.info(cacheReport);
    const budget = await applySiteBudget(
      target,
      site.experiments.flatMap((e) =>
        e.runs.map((r) => {
          const repo = runRepo(r.manifest, siteRepo);
          return {
            experiment: e.name,
            run: r.manifest.id,
            createdAt: r.manifest.createdAt,
            url: dataBranchRunUrl(repo ? repoUrl(repo) : null, annotate.branch, annotate.dataPath, e.name, r.manifest.id),
          };
        }),
      ),
      options.budgetBytes ?? DEFAULT_SITE_BUDGET_BYTES,
    );
    if (budget.omitted.length > 0) logger.warn(budget.message);
    else logger.info(budget.message);
    const chartCache = options.cacheDir ? join(options.cacheDir, CHART_CACHE_DIR) : null;
    if (chartCache) await mkdir(chartCache, { recursive: true });
    model = { site, data, siteRepo, annotate, downloads: new Set(csv.paths), chartCache };
    const mb = (n: number) => (n / 1e6).toFixed(1);
    const seconds = (from: number) => ((performance.now() - from) / 1000).toFixed(1);
    logger.info(
      `data pass: ${Object.keys(data.runs).length} runs, ${mb(data.bytesIn)} MB of traces → ${mb(data.bytesOut)} MB; ${csv.paths.length} CSV files in ${seconds(csvStarted)} s; ${seconds(started)} s in all`,
    );
    options.onEvent?.({
      kind: 'data',
      experiments: site.experiments.length,
      runs: Object.keys(data.runs).length,
      traces: Object.values(data.runs).reduce((n, r) => n + r.traces, 0),
      seconds: (performance.now() - started) / 1000,
      cache: cacheReport,
    });
    // The runs' traces are garbage now; Vite's builds come next (see releaseMemory).
    releaseMemory();
  };

  return {
    name: 'labbook-data',
    hooks: {
      'astro:config:setup': ({ command: running, updateConfig }) => {
        command = running;
        // zod's sources carry /*#__PURE__*/ comments Rollup cannot place; harmless, and noise.
        const onwarn = (warning: { code?: string; id?: string }, warn: (w: never) => void) => {
          if (warning.code === 'INVALID_ANNOTATION' && warning.id?.includes('node_modules')) return;
          warn(warning as never);
        };
        updateConfig({
          vite: {
            // After each Vite build (server, then client), its module graph and ASTs are garbage.
            plugins: [siteModelPlugin(() => model), { name: 'labbook-release-memory', apply: 'build', closeBundle: releaseMemory }],
            worker: { format: 'es', rollupOptions: { onwarn } as never },
            build: { emptyOutDir: false, rollupOptions: { onwarn } },
          },
        });
      },
      'astro:build:done': async ({ pages, logger }) => {
        options.onEvent?.({ kind: 'pages', pages: pages.length });
        // Charts no page drew this time (a run gone, data changed) leave the cache.
        if (!options.cacheDir) return;
        const removed = await pruneChartSvgCache(join(options.cacheDir, CHART_CACHE_DIR), buildStarted - 2000);
        if (removed > 0) logger.info(`chart cache: ${countNoun(removed, 'unused chart')} removed`);
      },
      'astro:config:done': ({ config }) => {
        outDir = fileURLToPath(config.outDir);
        root = config.root;
      },
      'astro:build:start': async ({ logger }) => {
        await emptyDir(outDir);
        await copyVendor(outDir, root);
        await run(outDir, logger);
      },
      'astro:server:setup': async ({ server, logger }) => {
        // `astro dev`: the same pass into a temporary folder, served under <base>data/. A build
        // starts a dev server too, for its content sync, when NODE_ENV is not "production" (a
        // test runner's "test", a shell's "development"): no second data pass for that one.
        if (command !== 'dev') return;
        const dir = await mkdtemp(join(tmpdir(), 'labbook-site-dev-'));
        server.httpServer?.once('close', () => void rm(dir, { recursive: true, force: true }));
        await copyVendor(dir, root);
        await run(dir, logger);
        const base = server.config.base.endsWith('/') ? server.config.base : `${server.config.base}/`;
        const serve = staticFiles({ root: dir, base });
        server.middlewares.use((req, res, next) => {
          if (!req.url?.startsWith(`${base}data/`) && !req.url?.startsWith(`${base}vendor/`)) return next();
          void serve(req, res);
        });
      },
    },
  };
}

/** The site cache's folder of drawn charts; a leading dot, so no experiment can be named so. */
const CHART_CACHE_DIR = '.charts';

/** Vega's prebuilt browser bundle, for the compare page's charts (served from the site, never a CDN). */
async function copyVendor(dir: string, root: URL): Promise<void> {
  // `vega` exports only its module entry; the UMD bundle sits next to it.
  const vega = join(dirname(createRequire(new URL('./astro.config.ts', root)).resolve('vega')), 'vega.min.js');
  await mkdir(join(dir, 'vendor'), { recursive: true });
  await copyFile(vega, join(dir, 'vendor', 'vega.min.js'));
}

/** Empties the output folder, keeping a `.git` (a checked-out gh-pages branch). */
async function emptyDir(dir: string): Promise<void> {
  const entries = await readdir(dir).catch(() => [] as string[]);
  await Promise.all(entries.filter((e) => e !== '.git').map((e) => rm(resolve(dir, e), { recursive: true, force: true })));
}
