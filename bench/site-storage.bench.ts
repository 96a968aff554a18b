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
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
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
import { writeRealisticTraces } from './generators/realistic-traces.ts';

const REPO = join(import.meta.dirname, '..');
const mb = (bytes: number) => +(bytes / 1e6).toFixed(1);

async function addRun(dataDir: string, work: string, index: number, traces: number): Promise<{ id: string; plain: number }> {
  const config = join(work, `config-${index % 4}.yaml`);
  writeFileSync(config, `model: bench-${index % 4}\n`);
  const run = await createRun({ dataDir, experiment: 'support', configPath: config, source: { kind: 'local', host: 'h', user: 'u' }, code: { commit: null, branch: 'main', dirty: false }, now: new Date(Date.UTC(2026, 0, 1, 0, index)) });
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
async function build(cli: string, dataDir: string, outDir: string, cacheDir: string): Promise<{ seconds: number; peakMb: number | null; log: string }> {
  const entry = `const { main } = await import(${JSON.stringify(cli)}); process.exitCode = await main(process.argv.slice(1));`;
  const args = ['--input-type=module', '-e', entry, 'site', 'build', '--data', dataDir, '--out', outDir, '--cache', cacheDir];
  const time = existsSync('/usr/bin/time');
  const started = performance.now();
  const { stdout, stderr } = await promisify(execFile)(time ? '/usr/bin/time' : process.execPath, time ? ['-f', 'peak-rss-kb %M', process.execPath, ...args] : args, { cwd: REPO, maxBuffer: 256 * 1024 * 1024 });
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
    const opens: number[] = [];
    try {
      for (let i = 0; i < 3; i++) {
        const context = await browser.newContext();
        const page = await context.newPage();
        await page.goto(`${server.url}experiments/support/runs/${ids[0]}/trace/?id=trace-${17 + i * Math.floor(traces / 3)}`);
        await page.waitForFunction(() => performance.getEntriesByName('labbook:trace').length > 0, null, { timeout: 60_000, polling: 20 });
        opens.push(await page.evaluate(() => performance.getEntriesByName('labbook:trace')[0]!.startTime));
        await context.close();
      }
    } finally {
      await browser.close();
      await server.close();
    }
    opens.sort((a, b) => a - b);
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
      'open a trace in Chromium, median ms (goal < 300)': Math.round(opens[1]!),
    };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
