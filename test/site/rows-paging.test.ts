import { execFile } from 'node:child_process';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Browser, Page, Route } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TraceInput } from '../../schemas/trace.ts';
import { type RunningServer, startStaticServer } from '../../site/build/static-server.ts';
import { finishRun } from '../../src/store/finish-run.ts';
import { createRun, ensureExperiment } from '../../src/store/run-writer.ts';
import { TraceWriter } from '../../src/store/trace-writer.ts';
import { launchChromium, watchPage } from './helpers/fixture-site.ts';

const REPO = join(import.meta.dirname, '..', '..');
/** Three rows pages: 250, 5,000 and 350 rows. */
const TRACES = 5_600;

// Values a test can predict without the site's code: every 13th trace failed, latencies are a permutation.
const failed = (i: number) => i % 13 === 0;
const latency = (i: number) => (i * 7919) % TRACES;
const verdict = (i: number) => (i % 5 === 0 ? `rare-${i % 3}` : 'common');

function trace(i: number): TraceInput {
  const start = 1_760_000_000_000 + i * 10_000;
  return {
    id: `trace-${i}`,
    exampleId: `example-${i % 400}`,
    input: { question: `question number ${i} about ${i % 2 ? 'rivers' : 'mountains'}` },
    output: failed(i) ? null : `answer ${i}`,
    status: failed(i) ? 'error' : 'ok',
    ...(failed(i) ? { error: `tool timed out at step ${i % 4}` } : {}),
    start,
    end: start + latency(i),
    durationMs: latency(i),
    tags: [],
    spans: [{ id: 'root', parentId: null, name: 'agent', type: 'AGENT', start, end: start + latency(i), status: 'ok' }],
    scores: [
      { name: 'f1', value: (i % 100) / 100, source: 'code' },
      // A label only the later pages have, so the value menu must grow once they arrive.
      { name: 'verdict', value: i < 250 ? 'common' : verdict(i), source: 'llm_judge' },
    ],
  } as TraceInput;
}

describe('the traces table of a large run arrives in pages', () => {
  let root: string;
  let runId: string;
  let server: RunningServer;
  let browser: Browser;

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'labbook-rows-paging-'));
    const dataDir = join(root, 'experiments');
    await ensureExperiment(dataDir, 'big');
    const config = join(root, 'config.yaml');
    await writeFile(config, 'model: m\n');
    const run = await createRun({
      dataDir,
      experiment: 'big',
      configPath: config,
      source: { kind: 'local', host: 'h', user: 'u' },
      code: { commit: null, branch: null, dirty: false },
      now: new Date(Date.UTC(2026, 0, 1)),
    });
    const writer = new TraceWriter(run.dir);
    for (let i = 0; i < TRACES; i++) writer.append(trace(i));
    writer.close();
    await finishRun(run.dir);
    runId = run.manifest.id;
    const out = join(root, 'site');
    const built = await promisify(execFile)(
      process.execPath,
      [join(REPO, 'bin', 'labbook.js'), 'site', 'build', '--data', dataDir, '--out', out],
      { cwd: REPO, maxBuffer: 64 * 1024 * 1024 },
    );
    expect(built.stdout + built.stderr).not.toMatch(/skipped|invalid/);
    expect((await readdir(join(out, 'data', 'big', runId))).filter((f) => f.startsWith('rows-')).sort()).toEqual([
      'rows-0.json.gz',
      'rows-1.json.gz',
      'rows-2.json.gz',
    ]);
    server = await startStaticServer({ root: out });
    browser = await launchChromium();
  }, 240_000);
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await rm(root, { recursive: true, force: true });
  });

  const count = (page: Page) => page.locator('#trace-count').textContent();
  const column = (page: Page, header: string) =>
    page.evaluate((name) => {
      const headers = [...document.querySelectorAll('#traces-table thead th')].map((th) => th.textContent);
      const index = headers.indexOf(name);
      return [...document.querySelectorAll('#traces-table tr.row')].map((tr) => (tr as HTMLTableRowElement).cells[index]!.textContent);
    }, header);

  it(
    'shows the first page at once, and a filter and sort chosen meanwhile hold over every row once the rest arrive',
    { timeout: 120_000 },
    async () => {
      const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
      const seen = watchPage(page, server.url);
      // Hold the later pages until the first rows have been seen and a filter chosen.
      const held: Route[] = [];
      let release: () => void = () => undefined;
      const released = new Promise<void>((resolve) => (release = resolve));
      await page.route(/\/rows-[1-9]\d*\.json\.gz$/, async (route) => {
        held.push(route);
        await released;
        await route.continue();
      });
      await page.goto(`${server.url}experiments/big/runs/${runId}/#traces`);
      await page.locator('#traces-table tr.row').first().waitFor();
      await expect(count(page)).resolves.toBe(`250 traces · loading, 250 of ${TRACES} loaded…`);
      expect(await page.locator('#traces-table').getAttribute('aria-busy')).toBe('true');
      expect(await page.locator('#trace-review').isHidden()).toBe(true);
      // The later pages were asked for together, not one after the other.
      await expect.poll(() => held.length).toBe(2);

      await page.locator('#trace-status').selectOption('error');
      await page.locator('#traces-table thead th button', { hasText: /^latency$/ }).click();
      await page.locator('#traces-table thead th button', { hasText: /^latency$/ }).click();
      const failedFirst = Array.from({ length: 250 }, (_, i) => i).filter(failed).length;
      await expect(count(page)).resolves.toBe(`${failedFirst} of 250 traces · loading, 250 of ${TRACES} loaded…`);

      release();
      await page.waitForFunction(() => performance.getEntriesByName('labbook:rows-all').length > 0);
      const failures = Array.from({ length: TRACES }, (_, i) => i).filter(failed);
      await expect(count(page)).resolves.toBe(`${failures.length} of ${TRACES} traces`);
      expect(await page.locator('#traces-table').getAttribute('aria-busy')).toBe('false');
      // Sorted by latency, longest first, over all rows: the top rows are the slowest failures of the whole run.
      const slowest = failures
        .sort((a, b) => latency(b) - latency(a))
        .slice(0, 5)
        .map((i) => `trace-${i}`);
      expect((await column(page, 'trace')).slice(0, 5)).toEqual(slowest);
      expect(await page.locator('#trace-review').textContent()).toBe(`Review these ${failures.length}`);
      expect(await page.locator('#trace-review').isVisible()).toBe(true);
      expect(new URL((await page.locator('#trace-review').getAttribute('href'))!, server.url).searchParams.get('status')).toBe('error');

      // Search and the label menu cover the later pages too.
      await page.locator('#trace-status').selectOption('all');
      await page.locator('#trace-search').fill('trace-5599');
      await page.waitForFunction(() => document.querySelector('#trace-count')?.textContent === `1 of 5600 traces`);
      await page.locator('#trace-search').fill('');
      await page.waitForFunction(() => document.querySelector('#trace-count')?.textContent === `5600 traces`);
      await page.locator('#filter-column').selectOption('score:verdict');
      const labels = await page.locator('#filter-value option').allTextContents();
      expect(labels).toEqual(['common', 'rare-0', 'rare-1', 'rare-2']);
      await page.locator('#filter-value').selectOption('rare-1');
      await page.locator('#filter-add').click();
      const rare = Array.from({ length: TRACES }, (_, i) => i).filter((i) => i >= 250 && verdict(i) === 'rare-1');
      await expect(count(page)).resolves.toBe(`${rare.length} of ${TRACES} traces`);
      expect(seen.errors).toEqual([]);
      await page.close();
    },
  );

  it(
    'asks for the first page while the page modules are still loading, and the table uses that response',
    { timeout: 60_000 },
    async () => {
      const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
      const rowsRequests: string[] = [];
      page.on('request', (request) => {
        if (/\/rows-\d+\.json\.gz$/.test(request.url())) rowsRequests.push(request.url().replace(/^.*\//, ''));
      });
      const held: Route[] = [];
      let hold = true;
      await page.route(/\/_astro\/.+\.js$/, (route) => (hold ? void held.push(route) : route.continue()));
      await page.goto(`${server.url}experiments/big/runs/${runId}/#traces`, { waitUntil: 'commit' });
      await expect.poll(() => rowsRequests, { timeout: 20_000 }).toEqual(['rows-0.json.gz']);
      expect(held.length).toBeGreaterThan(0);
      hold = false;
      for (const route of held) await route.continue();
      await page.waitForFunction(() => performance.getEntriesByName('labbook:rows-all').length > 0);
      expect(rowsRequests.sort()).toEqual(['rows-0.json.gz', 'rows-1.json.gz', 'rows-2.json.gz']);
      await expect(count(page)).resolves.toBe(`${TRACES} traces`);
      await page.close();
    },
  );

  it('keeps the rows it has and says so when a later page fails', { timeout: 60_000 }, async () => {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await page.route(/\/rows-2\.json\.gz$/, (route) =>
      route.fulfill({ status: 200, contentType: 'application/gzip', body: Buffer.from('not gzip at all') }),
    );
    await page.goto(`${server.url}experiments/big/runs/${runId}/#traces`);
    await page.waitForFunction(() => document.querySelector('#trace-count')?.textContent?.includes('not every row could be loaded'));
    expect(await count(page)).toMatch(
      /^5250 traces · loading, 5250 of 5600 loaded… · not every row could be loaded: could not read data\/big\/[^/]+\/rows-2\.json\.gz: /,
    );
    expect(await page.locator('#traces-table tr.row').count()).toBeGreaterThan(10);
    await page.close();
  });
});
