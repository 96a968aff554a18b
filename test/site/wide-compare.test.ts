import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeSitePage, type FixtureSite, openSitePage, type PageWatch } from './helpers/fixture-site.ts';

/** Boxes of every element matched, against the right edge of the box that holds them. */
async function cutOff(page: Page, items: string, container: string): Promise<string[]> {
  return page.evaluate(
    ([itemsSelector, containerSelector]) => {
      const holder = document.querySelector(containerSelector!)!.getBoundingClientRect();
      return [...document.querySelectorAll(itemsSelector!)]
        .filter((e) => e.getBoundingClientRect().right > holder.right + 0.5 || e.getBoundingClientRect().right > window.innerWidth)
        .map((e) => e.textContent ?? '');
    },
    [items, container],
  );
}

describe('a comparison that reads at 1,366 px', () => {
  let site: FixtureSite, browser: Browser, page: Page, seen: PageWatch;
  beforeAll(async () => ({ site, browser, page, seen } = await openSitePage({ width: 1366, height: 900 })));
  afterAll(() => closeSitePage(site, browser));

  it('names runs in the headers, cuts no verdict and no column, and groups the notes into one list that names runs', async () => {
    const { runs } = site.info;
    await page.goto(`${site.url}compare/?runs=${runs.baseline},${runs.candidate}`);
    await page.locator('#compare-metrics').waitFor();
    await page.locator('tr.row').first().waitFor();
    const headers = await page.locator('#compare-metrics thead th').allTextContents();
    expect(headers.join(' | ')).toMatch(/baseline/);
    expect(headers.some((text) => /^[A-D]( \(baseline\))?$/.test(text.trim()))).toBe(false);

    const metrics = page.locator('#compare-metrics').locator('xpath=..');
    const size = await metrics.evaluate((e) => ({ scroll: e.scrollWidth, client: e.clientWidth }));
    expect(size.scroll).toBeLessThanOrEqual(size.client);
    expect(await cutOff(page, '#compare-metrics .verdict', '#compare-metrics')).toEqual([]);

    const aligned = page.locator('section[aria-labelledby="cmp-traces-title"] .vt');
    const alignedSize = await aligned.evaluate((e) => ({ scroll: e.scrollWidth, client: e.clientWidth }));
    expect(alignedSize.scroll).toBeLessThanOrEqual(alignedSize.client);

    // The fixture's 24 examples are too few to detect small differences: the engine says so.
    const notes = page.locator('#compare-warnings');
    expect(await notes.count()).toBe(1);
    const text = (await notes.textContent())!;
    expect(text).toMatch(/likely to be detected/);
    expect(text).not.toContain(runs.baseline);
    expect(text).not.toContain(runs.candidate);
    expect(await page.locator('#compare-metrics ~ .notice, .section > .notice').count()).toBe(0);
    expect(seen.errors).toEqual([]);
  });

  it('keeps the metric column in view when the table scrolls sideways on a phone', async () => {
    const phone = await browser.newPage({ viewport: { width: 390, height: 844 } });
    const { runs } = site.info;
    await phone.goto(`${site.url}compare/?runs=${runs.baseline},${runs.candidate}`);
    await phone.locator('#compare-metrics').waitFor();
    const wrap = phone.locator('#compare-metrics').locator('xpath=..');
    await wrap.evaluate((e) => e.scrollTo({ left: 400 }));
    const first = phone.locator('#compare-metrics tbody th.sticky-col').first();
    const [cell, holder] = await Promise.all([first.boundingBox(), wrap.boundingBox()]);
    expect(Math.abs(cell!.x - holder!.x)).toBeLessThan(2);
    await phone.close();
  });

  it('keeps the run name in view when the runs table scrolls sideways', async () => {
    const phone = await browser.newPage({ viewport: { width: 390, height: 844 } });
    await phone.goto(`${site.url}experiments/${site.info.experiments.qa}/`);
    const wrap = phone.locator('#runs-table').locator('xpath=..');
    const before = await phone.locator('#runs-table tbody td.sticky-col-2').first().boundingBox();
    await wrap.evaluate((e) => e.scrollTo({ left: 600 }));
    expect(await wrap.evaluate((e) => e.scrollLeft)).toBeGreaterThan(100);
    const after = await phone.locator('#runs-table tbody td.sticky-col-2').first().boundingBox();
    expect(Math.abs(after!.x - before!.x)).toBeLessThan(2);
    await phone.close();
  });
});
