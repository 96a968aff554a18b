import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeSitePage, type FixtureSite, openSitePage, type PageWatch, watchPage } from './helpers/fixture-site.ts';

/** Tick labels of every chart under `selector`: no e-notation (`8e+2`, `1.2e+3`) anywhere. */
async function tickLabels(page: Page, selector: string): Promise<string[]> {
  return page.locator(`${selector} g[class*="role-axis-label"] text`).allTextContents();
}

describe('charts a person can read', () => {
  let site: FixtureSite, browser: Browser, page: Page, seen: PageWatch;
  beforeAll(async () => ({ site, browser, page, seen } = await openSitePage({ width: 1366, height: 900 })));
  afterAll(() => closeSitePage(site, browser));

  it('draws the experiment trends one series per config, with tooltips naming run, config, date and value, under a CSP without unsafe-eval', async () => {
    // A reader in New York sees the dates the tables print: UTC.
    const context = await browser.newContext({ viewport: { width: 1366, height: 900 }, timezoneId: 'America/New_York' });
    const page = await context.newPage();
    const seen = watchPage(page, site.url);
    await page.goto(`${site.url}experiments/${site.info.experiments.qa}/`);
    const csp = await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content');
    expect(csp).not.toContain('unsafe-eval');
    await page.locator('#trends figure[data-interactive="true"]').first().waitFor();
    const figures = page.locator('#trends figure');
    expect(await figures.count()).toBeGreaterThanOrEqual(2);
    // One legend entry per config: the fixture's two runs have two configs.
    const legend = await page.locator('#trends figure').first().locator('g[class*="role-legend-label"] text').allTextContents();
    expect(new Set(legend).size).toBe(2);
    const labels = await tickLabels(page, '#trends');
    expect(labels.length).toBeGreaterThan(0);
    for (const label of labels) expect(label).not.toMatch(/\de[+-]?\d/i);

    const point = page.locator('#trends figure').first().locator('path[aria-roledescription="point"]').first();
    const box = (await point.boundingBox())!;
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    const tooltip = page.locator('#trends .chart-tooltip');
    await tooltip.waitFor();
    const text = (await tooltip.textContent())!;
    const date = /date \(UTC\): (\d{4}-\d\d-\d\d \d\d:\d\d)/.exec(text)?.[1];
    expect(text).toMatch(/run: .+config: .+/);
    const runs = join(site.info.dataDir, site.info.experiments.qa, 'runs');
    const created = readdirSync(runs).map(
      (id) => (JSON.parse(readFileSync(join(runs, id, 'run.json'), 'utf8')) as { createdAt: string }).createdAt,
    );
    expect(created.map((at) => at.slice(0, 16).replace('T', ' '))).toContain(date);
    expect(seen.errors).toEqual([]);
    await context.close();
  });

  it('draws a visible zero line on every Δ panel of a comparison, and no e-notation on any axis', async () => {
    const { runs } = site.info;
    await page.goto(`${site.url}compare/?runs=${runs.baseline},${runs.candidate}`);
    await page.waitForFunction(() => document.body.dataset.compareReady === 'charts');
    const figures = page.locator('#cmp-charts figure');
    expect(await figures.count()).toBe(2);
    const deltas = figures.nth(1);
    const panels = await deltas.locator('g.mark-group.cell > g').count();
    expect(panels).toBeGreaterThan(1);
    const zeroLines = deltas.locator('line[stroke-dasharray]');
    expect(await zeroLines.count()).toBeGreaterThan(0);
    // Each zero line spans its panel's height (not a zero-length line on one row).
    for (const line of await zeroLines.all()) expect(Number(await line.getAttribute('y2'))).toBeGreaterThan(10);
    expect(await zeroLines.count()).toBe(panels);
    for (const label of await tickLabels(page, '#cmp-charts')) expect(label).not.toMatch(/\de[+-]?\d/i);
    expect(seen.errors).toEqual([]);
  });
});
