import type { Browser, Page, Route } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FixtureSite, fixtureSite, launchChromium, watchPage } from './helpers/fixture-site.ts';

/** The names of the run data files a page asks for, in order, as they are asked for. */
function dataRequests(page: Page): string[] {
  const data: string[] = [];
  page.on('request', (request) => {
    if (/\/data\/.+\.(json|json\.gz)$/.test(request.url())) data.push(new URL(request.url()).pathname.replace(/^.*\//, ''));
  });
  return data;
}

describe('the trace page fetches its trace before its scripts have loaded', () => {
  let site: FixtureSite;
  let browser: Browser;

  beforeAll(async () => {
    site = await fixtureSite();
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await site?.server.close();
  });

  it(
    'asks for index.json and the chunk of the trace while the page modules are held back, then uses them, once each',
    { timeout: 60_000 },
    async () => {
      const { info } = site;
      const page = await browser.newPage();
      const seen = watchPage(page, site.url);
      const data = dataRequests(page);
      // Hold every module script of the site: whatever is fetched meanwhile, trace-prefetch.js asked for.
      const held: Route[] = [];
      let hold = true;
      await page.route(/\/_astro\/.+\.js$/, (route) => (hold ? void held.push(route) : route.continue()));
      await page.goto(`${site.url}experiments/${info.experiments.qa}/runs/${info.runs.baseline}/trace/?id=${info.chatTrace}`, {
        waitUntil: 'commit',
      });
      await expect.poll(() => data, { timeout: 20_000 }).toEqual(['index.json', expect.stringMatching(/^traces-\d+\.json\.gz$/)]);
      expect(held.length).toBeGreaterThan(0);
      hold = false;
      for (const route of held) await route.continue();
      await page.waitForFunction(() => performance.getEntriesByName('labbook:trace').length > 0);
      await expect(page.locator('#trace-app h1').textContent()).resolves.toBe(info.chatTrace);
      // The page took the prefetched responses: no second request for either file.
      expect(data.filter((f) => f === 'index.json' || f.startsWith('traces-'))).toHaveLength(2);
      expect(seen.errors).toEqual([]);

      // Walking to the next trace fetches as before (its chunk, if another one).
      await page.keyboard.press('n');
      await page.waitForFunction((id) => document.querySelector('#trace-app h1')?.textContent !== id, info.chatTrace);
      expect(data.filter((f) => f === 'index.json')).toHaveLength(1);
      expect(seen.errors).toEqual([]);
      await page.close();
    },
  );

  it('a prefetch script that arrives after the page took its data starts nothing and throws nothing', { timeout: 60_000 }, async () => {
    // The script is async: on a slow connection the page's modules run first.
    const { info } = site;
    const page = await browser.newPage();
    const seen = watchPage(page, site.url);
    const data = dataRequests(page);
    let release: (() => void) | undefined;
    const held = new Promise<void>((resolve) => (release = resolve));
    await page.route(/\/trace-prefetch\.js$/, async (route) => {
      await held;
      await route.continue();
    });
    await page.goto(`${site.url}experiments/${info.experiments.qa}/runs/${info.runs.baseline}/trace/?id=${info.chatTrace}`, {
      waitUntil: 'commit',
    });
    await page.waitForFunction(() => performance.getEntriesByName('labbook:trace').length > 0);
    // What the prefetch script would ask for. The page's own later requests (its annotations,
    // asked for as it renders) may reach this process after the mark, and are not counted.
    const prefetchable = () => data.filter((f) => f === 'index.json' || /^traces-\d+\.json\.gz$/.test(f));
    const fetched = prefetchable();
    expect(fetched).toEqual(['index.json', expect.stringMatching(/^traces-\d+\.json\.gz$/)]);
    release!();
    await page.waitForResponse(/\/trace-prefetch\.js$/);
    await page.evaluate(() => new Promise((resolve) => setTimeout(resolve, 200)));
    expect(seen.errors).toEqual([]);
    expect(prefetchable()).toEqual(fetched); // nothing fetched a second time
    await page.close();
  });

  it('an unknown id is reported by the page as before, the prefetch fetching only the index', { timeout: 60_000 }, async () => {
    const { info } = site;
    const page = await browser.newPage();
    const data = dataRequests(page);
    await page.goto(`${site.url}experiments/${info.experiments.qa}/runs/${info.runs.baseline}/trace/?id=no-such-trace`);
    await page.locator('#trace-app', { hasText: 'No trace "no-such-trace" in this run.' }).waitFor();
    expect(data).toEqual(['index.json']);
    await page.close();
  });
});
