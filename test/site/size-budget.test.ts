import type { Browser } from 'playwright-core';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildSite } from '../../site/build/build-site.ts';
import { startStaticServer } from '../../site/build/static-server.ts';
import { writeRun } from '../helpers/analysis-store.ts';
import { tempDir } from '../helpers/temp-dir.ts';
import { launchChromium } from './helpers/fixture-site.ts';

/**
 * A site over its size budget: a run's trace page says its traces are left out and links to the
 * run on the data branch (with a 1-byte budget every run's detail goes; which runs go first is
 * src/site-budget's unit test, and kept traces opening from gzip is navigation.test.ts').
 */
describe('the site size budget, in the browser', () => {
  const root = tempDir('labbook-site-budget-e2e-');
  let browser: Browser;
  let server: Awaited<ReturnType<typeof startStaticServer>>;
  let oldest = '';

  beforeAll(async () => {
    const dataDir = join(root, 'experiments');
    oldest = (await writeRun(root, dataDir, { variant: 0, traces: 200 })).id;
    await writeRun(root, dataDir, { variant: 1, traces: 200 });
    const outDir = join(root, 'site');
    await buildSite({
      dataDir,
      outDir,
      base: '/budget/',
      repository: 'acme/agent',
      dataBranch: 'labbook-data',
      dataPath: 'experiments',
      budgetBytes: 1,
      logLevel: 'silent',
    });
    server = await startStaticServer({ root: outDir, base: '/budget/' });
    browser = await launchChromium();
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('links a trace of a run left out to the data branch, and says why', async () => {
    const page = await browser.newPage();
    await page.goto(`${server.url}experiments/demo/runs/${oldest}/trace/?id=t1`);
    const link = page.locator('#trace-app a', { hasText: 'Read them on the data branch.' });
    await link.waitFor();
    expect(await link.getAttribute('href')).toBe(`https://github.com/acme/agent/tree/labbook-data/experiments/demo/runs/${oldest}`);
    await expect(page.locator('#trace-app').textContent()).resolves.toMatch(
      /The full traces of this run are not on the site: left out to keep the site under its 0\.0 MB budget/,
    );
  });
});
