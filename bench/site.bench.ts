// Issue 4's scale targets, measured in headless Chromium against a local static server:
//   run page with 10,000 traces: first rows < 1 s; a 50,000-span trace opens and scrolls;
//   compare page of 4 runs × 10,000 traces interactive < 2 s;
//   build of 20 runs × 5,000 traces × 10 spans < 60 s, writing < 2× the input bytes.
// Times in the browser are performance marks the site sets (ms since navigation start),
// the median of 3 fresh page loads (empty cache). The build runs the real CLI in a child process.
import { execFile } from 'node:child_process';
import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { chromium, type Browser, type Page } from 'playwright-core';
import { startStaticServer } from '../site/build/static-server.ts';
import { CHROMIUM_ARGS, chromiumPath } from '../src/export/print-pdf.ts';
import { writeHugeTraceRun, writeSiteBenchData } from './generators/site-data.ts';

const REPO = join(import.meta.dirname, '..');

async function folderBytes(dir: string): Promise<number> {
  let total = 0;
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) total += (await stat(join(entry.parentPath, entry.name))).size;
  }
  return total;
}

async function buildSite(dataDir: string, outDir: string): Promise<number> {
  const started = performance.now();
  await promisify(execFile)(process.execPath, [join(REPO, 'bin', 'labbook.js'), 'site', 'build', '--data', dataDir, '--out', outDir], {
    cwd: REPO,
    maxBuffer: 256 * 1024 * 1024,
  });
  return (performance.now() - started) / 1000;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const mb = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`;

async function markTime(page: Page, name: string, timeout = 60_000): Promise<number> {
  await page.waitForFunction((mark) => performance.getEntriesByName(mark).length > 0, name, { timeout, polling: 20 });
  return page.evaluate((mark) => performance.getEntriesByName(mark)[0]!.startTime, name);
}

/** Loads `url` in a fresh context (empty cache) `times` times; the median time of a mark. */
async function loadTimes(browser: Browser, url: string, marks: string[], times = 3): Promise<number[]> {
  const samples: number[][] = marks.map(() => []);
  for (let i = 0; i < times; i++) {
    const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
    const page = await context.newPage();
    await page.goto(url);
    for (const [m, mark] of marks.entries()) samples[m]!.push(await markTime(page, mark));
    await context.close();
  }
  return samples.map(median);
}

export async function benchSite(options: { quick?: boolean } = {}): Promise<Record<string, string | number>> {
  const quick = options.quick ?? false;
  const scale = { runs: 4, traces: quick ? 2_000 : 10_000, spans: 5, hugeSpans: quick ? 10_000 : 50_000 };
  const build = { runs: quick ? 4 : 20, traces: quick ? 1_000 : 5_000, spans: 10 };
  const root = await mkdtemp(join(tmpdir(), 'labbook-site-bench-'));
  const figures: Record<string, string | number> = {};
  let browser: Browser | null = null;
  try {
    // Scale: 4 runs × 10,000 traces and one 50,000-span trace, built and served.
    const scaleData = join(root, 'scale', 'experiments');
    const ids = await writeSiteBenchData({
      dataDir: scaleData,
      experiment: 'scale',
      runs: scale.runs,
      traces: scale.traces,
      spans: scale.spans,
    });
    const huge = await writeHugeTraceRun(scaleData, 'scale', scale.hugeSpans);
    const scaleOut = join(root, 'scale', 'site');
    figures[`build of the scale site (${scale.runs} × ${scale.traces} + 1 × ${scale.hugeSpans} spans) s`] = (
      await buildSite(scaleData, scaleOut)
    ).toFixed(1);
    const server = await startStaticServer({ root: scaleOut });
    browser = await chromium.launch({ executablePath: chromiumPath(), args: CHROMIUM_ARGS });
    const runUrl = `${server.url}experiments/scale/runs/${ids[0]}/`;
    const rowsPages = (await readdir(join(scaleOut, 'data', 'scale', ids[0]!))).filter((f) => /^rows-\d+\.json\.gz$/.test(f));
    let rowsBytes = 0;
    for (const f of rowsPages) rowsBytes += (await stat(join(scaleOut, 'data', 'scale', ids[0]!, f))).size;
    figures[`run page, ${scale.traces} traces: rows pages (gzip'd)`] = `${rowsPages.length}, ${mb(rowsBytes)}`;
    const [firstRows] = await loadTimes(browser, `${runUrl}#traces`, ['labbook:rows']);
    figures[`run page, ${scale.traces} traces: first rows ms (goal < 1000)`] = Math.round(firstRows!);

    // Sorting and filtering the full table, measured in the page.
    {
      const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
      await page.goto(`${runUrl}#traces`);
      await markTime(page, 'labbook:rows');
      const sortMs = await page.evaluate(async () => {
        const button = [...document.querySelectorAll<HTMLButtonElement>('#traces-table thead button')].find(
          (b) => b.textContent === 'latency',
        )!;
        const t = performance.now();
        button.click();
        await new Promise((r) => requestAnimationFrame(() => r(null)));
        return performance.now() - t;
      });
      figures[`run page, ${scale.traces} traces: sort by latency ms`] = Math.round(sortMs);
      figures[`run page, ${scale.traces} traces: rows in the DOM`] = await page.locator('#traces-table tr.row').count();
      await page.close();
    }

    // A 50,000-span trace: open, scroll through, expand everything.
    {
      const traceUrl = `${server.url}experiments/scale/runs/${huge}/trace/?id=huge`;
      figures[`trace of ${scale.hugeSpans} spans: chunk (gzip'd)`] = mb(
        (await stat(join(scaleOut, 'data', 'scale', huge, 'traces-0.json.gz'))).size,
      );
      const [open] = await loadTimes(browser, traceUrl, ['labbook:trace']);
      figures[`trace of ${scale.hugeSpans} spans: open ms`] = Math.round(open!);
      const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
      await page.goto(traceUrl);
      await markTime(page, 'labbook:trace');
      await page.getByRole('button', { name: 'Expand all' }).click();
      // No named helpers inside evaluate: tsx's keepNames would reference a __name the page lacks.
      const scroll = await page.evaluate(async () => {
        const scroller = document.querySelector<HTMLElement>('.tree-scroll')!;
        const expandRows = scroller.scrollHeight / 26;
        const steps = 40;
        let worst = 0;
        let maxRows = 0;
        const t0 = performance.now();
        for (let i = 1; i <= steps; i++) {
          const t = performance.now();
          scroller.scrollTop = (scroller.scrollHeight * i) / steps;
          await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(() => r(null))));
          worst = Math.max(worst, performance.now() - t);
          maxRows = Math.max(maxRows, scroller.querySelectorAll('[role="treeitem"]').length);
        }
        const atEnd = scroller.scrollTop + scroller.clientHeight >= scroller.scrollHeight - 1;
        const rows = [...scroller.querySelectorAll('[role="treeitem"]')];
        const lastShown = rows.some((row) => row.getBoundingClientRect().bottom >= scroller.getBoundingClientRect().bottom - 30);
        return { total: performance.now() - t0, worst, maxRows, expandRows, atEnd: atEnd && lastShown };
      });
      figures[`trace of ${scale.hugeSpans} spans: rows after expand all`] = Math.round(scroll.expandRows);
      figures[`trace of ${scale.hugeSpans} spans: 40 scroll steps to the end, worst step ms`] = Math.round(scroll.worst);
      figures[`trace of ${scale.hugeSpans} spans: rows in the DOM (max while scrolling)`] = scroll.maxRows;
      figures[`trace of ${scale.hugeSpans} spans: last rows drawn at the end`] = scroll.atEnd ? 'yes' : 'no';
      await page.close();
    }

    // Compare 4 runs × 10,000 traces.
    {
      const url = `${server.url}compare/?runs=${ids.join(',')}`;
      const [table, stats] = await loadTimes(browser, url, ['labbook:compare-table', 'labbook:compare-stats']);
      figures[`compare ${scale.runs} × ${scale.traces}: interactive (aligned traces) ms (goal < 2000)`] = Math.round(table!);
      figures[`compare ${scale.runs} × ${scale.traces}: statistics shown ms (worker)`] = Math.round(stats!);
    }
    await browser.close();
    browser = null;
    await server.close();
    await rm(join(root, 'scale'), { recursive: true, force: true });

    // Build: 20 runs × 5,000 traces × 10 spans.
    const buildData = join(root, 'build', 'experiments');
    await writeSiteBenchData({ dataDir: buildData, experiment: 'build', runs: build.runs, traces: build.traces, spans: build.spans });
    const input = await folderBytes(buildData);
    const out = join(root, 'build', 'site');
    const seconds = await buildSite(buildData, out);
    const output = await folderBytes(out);
    const label = `build ${build.runs} runs × ${build.traces} traces × ${build.spans} spans`;
    figures[`${label}: s (goal < 60)`] = seconds.toFixed(1);
    figures[`${label}: input`] = mb(input);
    figures[`${label}: output (site)`] = mb(output);
    figures[`${label}: output / input (goal < 2)`] = (output / input).toFixed(2);
    figures[`${label}: data files / input`] = ((await folderBytes(join(out, 'data'))) / input).toFixed(2);
  } finally {
    await browser?.close();
    await rm(root, { recursive: true, force: true });
  }
  return figures;
}
