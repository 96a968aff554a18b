// Issue 16's site figures on realistic agent traces: `labbook site build` of 20 runs × 2,000
// traces cold and again after one new run is added (with --cache, as the Pages workflow builds),
// peak memory of each build (the CLI in a child process, measured by /usr/bin/time), the site
// against its input, and opening a trace on that site in headless Chromium.
//
// The CLI is the compiled package (dist/, made here by scripts/build-package.js as `npm pack`
// makes it), which is what the Pages workflow installs and runs: bin/labbook.js in a checkout
// runs the sources through tsx instead, whose loader thread alone adds about 200 MB of RSS and
// seconds of transpiling to every build (measured: a rebuild's peak 580 MB through tsx, 415 MB
// compiled).
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { gunzipSync } from 'node:zlib';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { measureFolder } from '../src/gc/storage-health.ts';
import { startStaticServer } from '../site/build/static-server.ts';
import { finishRun } from '../src/store/finish-run.ts';
import { createRun } from '../src/store/run-writer.ts';
import { plainTraceBytes } from '../src/store/trace-storage.ts';
import { launchChromium } from '../test/site/helpers/fixture-site.ts';
import { runDataPaths } from '../site/view/run-meta.ts';
import { chunkOfRow, type TraceIndex } from '../site/view/run-rows.ts';
import type { RunRowsPage } from '../site/view/run-rows-pages.ts';
import { fetchFloor, median, pageMarks } from './site-browser-timing.ts';
import { writeSiteBenchData } from './generators/site-data.ts';
import { writeRealisticTraces } from './generators/realistic-traces.ts';

const REPO = join(import.meta.dirname, '..');
const mb = (bytes: number) => +(bytes / 1e6).toFixed(1);

async function addRun(dataDir: string, work: string, index: number, traces: number): Promise<{ id: string; plain: number }> {
  const config = join(work, `config-${index % 4}.yaml`);
  writeFileSync(config, `model: bench-${index % 4}\n`);
  const run = await createRun({
    dataDir,
    experiment: 'support',
    configPath: config,
    source: { kind: 'local', host: 'h', user: 'u' },
    code: { commit: null, branch: 'main', dirty: false },
    now: new Date(Date.UTC(2026, 0, 1, 0, index)),
  });
  await writeRealisticTraces(join(run.dir, 'traces.jsonl'), traces, 100 + index);
  const plain = await plainTraceBytes(run.dir);
  await finishRun(run.dir);
  return { id: run.manifest.id, plain };
}

/** Compiles the package into dist/ as `npm pack` does; returns the compiled CLI's entry. */
async function compiledCli(): Promise<string> {
  await promisify(execFile)(process.execPath, [join(REPO, 'scripts', 'build-package.js')], { cwd: REPO, maxBuffer: 64 * 1024 * 1024 });
  return pathToFileURL(join(REPO, 'dist', 'src', 'cli', 'main.js')).href;
}

/** The compiled CLI in a child process, its peak RSS read by GNU time when the machine has it. */
async function build(
  cli: string,
  dataDir: string,
  outDir: string,
  cacheDir: string,
): Promise<{ seconds: number; peakMb: number | null; log: string }> {
  const entry = `const { main } = await import(${JSON.stringify(cli)}); process.exitCode = await main(process.argv.slice(1));`;
  const args = ['--input-type=module', '-e', entry, 'site', 'build', '--data', dataDir, '--out', outDir, '--cache', cacheDir];
  const time = existsSync('/usr/bin/time');
  const started = performance.now();
  const { stdout, stderr } = await promisify(execFile)(
    time ? '/usr/bin/time' : process.execPath,
    time ? ['-f', 'peak-rss-kb %M', process.execPath, ...args] : args,
    { cwd: REPO, maxBuffer: 256 * 1024 * 1024 },
  );
  const seconds = (performance.now() - started) / 1000;
  const peak = /peak-rss-kb (\d+)/.exec(stderr);
  return { seconds, peakMb: peak ? Math.round(Number(peak[1]) / 1024) : null, log: stdout + stderr };
}

export async function benchSiteStorage(options: { quick?: boolean } = {}): Promise<Record<string, string | number>> {
  const runs = options.quick ? 4 : 20;
  const traces = options.quick ? 500 : 2_000;
  const work = join(tmpdir(), `labbook-bench-site-storage-${process.pid}`);
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work, { recursive: true });
  try {
    const dataDir = join(work, 'experiments');
    const out = join(work, 'site');
    const cache = join(work, 'cache');
    let plain = 0;
    const ids: string[] = [];
    for (let i = 0; i < runs; i++) {
      const run = await addRun(dataDir, work, i, traces);
      plain += run.plain;
      ids.push(run.id);
    }
    const cli = await compiledCli();
    const cold = await build(cli, dataDir, out, cache);
    const added = await addRun(dataDir, work, runs, traces);
    plain += added.plain;
    const warm = await build(cli, dataDir, out, cache);
    const site = await measureFolder(out);
    const reuse = /site cache: (\d+) run\(s\) reused, (\d+) built/.exec(warm.log);

    const server = await startStaticServer({ root: out, base: '/' });
    const browser = await launchChromium();
    const open = {
      now: [] as number[],
      data: [] as number[],
      dcl: [] as number[],
      before: [] as number[],
      floor: [] as number[],
      empty: [] as number[],
    };
    try {
      const paths = runDataPaths('support', ids[0]!);
      const index = JSON.parse(await readFile(join(out, paths.index), 'utf8')) as TraceIndex;
      const url = (row: number) => `${server.url}experiments/support/runs/${ids[0]}/trace/?id=${encodeURIComponent(index.ids[row]!)}`;
      for (let i = 0; i < 5; i++) {
        const row = 17 + i * Math.floor(traces / 5);
        const now = await pageMarks(browser, url(row), ['labbook:trace-data', 'labbook:trace']);
        open.now.push(now['labbook:trace']!);
        open.data.push(now['labbook:trace-data']!);
        open.dcl.push(now.domContentLoaded!);
        // The page as it was: data fetched only once its modules have loaded (no prefetch script).
        const before = await pageMarks(
          browser,
          url(row),
          ['labbook:trace'],
          async (page) =>
            void (await page.route(/\/trace-prefetch\.js$/, (route) =>
              route.fulfill({ status: 200, contentType: 'text/javascript', body: '' }),
            )),
        );
        open.before.push(before['labbook:trace']!);
        open.floor.push(await fetchFloor(browser, server.url, [paths.index, paths.chunk(chunkOfRow(index.chunkStarts, row))]));
        // The peer: the same page with no trace chosen — its HTML, CSS and scripts, no trace data.
        open.empty.push((await pageMarks(browser, `${server.url}experiments/support/runs/${ids[0]}/trace/`, [])).domContentLoaded!);
      }
    } finally {
      await browser.close();
      await server.close();
    }
    const rows = await firstRowsAt(cli, work, options.quick ? 20_000 : 100_000);
    return {
      runs: `${runs} × ${traces} realistic traces, then 1 more`,
      'plain traces MB': mb(plain),
      'cold build s (goal < 60)': +cold.seconds.toFixed(1),
      'cold build peak RSS MB (goal < 500)': cold.peakMb ?? 'n/a',
      'build after one new run s (goal < 10)': +warm.seconds.toFixed(1),
      'that build: runs reused / read': reuse ? `${reuse[1]} / ${reuse[2]}` : 'n/a',
      'site MB': mb(site.bytes),
      'site ÷ plain traces (goal ≤ 0.2)': +(site.bytes / plain).toFixed(3),
      'largest site file MB': site.largest ? mb(site.largest.bytes) : 0,
      'trace open in Chromium, median of 5 ms (goal < 300)': Math.round(median(open.now)),
      'that open: trace in hand (fetched, inflated, parsed) ms': Math.round(median(open.data)),
      'that open: page scripts loaded (DOMContentLoaded) ms': Math.round(median(open.dcl)),
      'trace open without the prefetch (as before), median ms': Math.round(median(open.before)),
      'floor: fetching index.json + the chunk alone, median ms': +median(open.floor).toFixed(1),
      'trace open ÷ floor': +(median(open.now) / median(open.floor)).toFixed(1),
      'peer: the trace page with no trace chosen, loaded (DOMContentLoaded) ms': Math.round(median(open.empty)),
      'trace open ÷ that peer': +(median(open.now) / median(open.empty)).toFixed(2),
      ...rows,
    };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/**
 * The run page of one run of `traces` small agent traces: first rows on screen and every row in
 * (ms since navigation, median of 3 fresh loads), against fetching the rows' bytes alone.
 */
async function firstRowsAt(cli: string, work: string, traces: number): Promise<Record<string, string | number>> {
  const dataDir = join(work, 'rows-scale', 'experiments');
  const out = join(work, 'rows-scale', 'site');
  const [id] = await writeSiteBenchData({ dataDir, experiment: 'scale', runs: 1, traces, spans: 3 });
  await build(cli, dataDir, out, join(work, 'rows-scale', 'cache'));
  const paths = runDataPaths('scale', id!);
  const first = JSON.parse(gunzipSync(readFileSync(join(out, paths.rows))).toString('utf8')) as RunRowsPage;
  const pages = first.pages!.map((p) => `${paths.dir}/${p.file}`);
  let stored = 0;
  let plain = 0;
  for (const page of pages) {
    const bytes = readFileSync(join(out, page));
    stored += bytes.length;
    plain += gunzipSync(bytes).length;
  }
  const firstBytes = (await stat(join(out, paths.rows))).size;
  const server = await startStaticServer({ root: out, base: '/' });
  const browser = await launchChromium();
  const shown: number[] = [];
  const all: number[] = [];
  const floorAll: number[] = [];
  try {
    for (let i = 0; i < 3; i++) {
      const times = await pageMarks(browser, `${server.url}experiments/scale/runs/${id}/#traces`, ['labbook:rows', 'labbook:rows-all']);
      shown.push(times['labbook:rows']!);
      all.push(times['labbook:rows-all']!);
      floorAll.push(await fetchFloor(browser, server.url, pages));
    }
  } finally {
    await browser.close();
    await server.close();
    rmSync(join(work, 'rows-scale'), { recursive: true, force: true });
  }
  const label = `run page, ${traces.toLocaleString('en-US')} traces`;
  return {
    [`${label}: rows pages`]: `${pages.length} (first ${(firstBytes / 1024).toFixed(0)} KB), ${mb(stored)} MB gzip'd of ${mb(plain)} MB JSON`,
    [`${label}: first rows ms (goal < 1000)`]: Math.round(median(shown)),
    [`${label}: every row in, query applied ms`]: Math.round(median(all)),
    [`${label}: floor, fetching every rows page alone ms`]: Math.round(median(floorAll)),
    [`${label}: first rows ÷ that floor`]: +(median(shown) / median(floorAll)).toFixed(2),
    [`${label}: every row ÷ that floor`]: +(median(all) / median(floorAll)).toFixed(2),
  };
}
