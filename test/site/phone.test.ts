import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeSitePage, type FixtureSite, openSitePage, type PageWatch } from './helpers/fixture-site.ts';

/** A phone held upright (an iPhone 12 to 15's CSS pixels). */
const PHONE = { width: 390, height: 844 };
/** The narrowest a trend or comparison chart may be drawn on a phone and still be read. */
const MIN_CHART_WIDTH = 300;

/** What a table wider than the phone must offer, measured in the page. */
interface TableReport {
  table: string;
  /** The nearest box around the table that scrolls sideways, with its overflow-x. */
  scroller: string | null;
  overflowX: string | null;
  wider: boolean;
  /** Before scrolling: the cue on the scroller's right edge (`data-more`) and its fade (mask-image). */
  cue: string | null;
  fade: string | null;
  /** After scrolling the last header cell into view: it lies inside the scroller and the screen. */
  lastHeaderShown: boolean;
  /** After scrolling: a sticky first column still sits at the scroller's left edge (null: none). */
  stickyStays: boolean | null;
}

/** Every table on the page that is drawn: its scroller, its cue, and whether its last column can be reached. */
async function tableReports(page: Page): Promise<TableReport[]> {
  return page.evaluate(async () => {
    const frame = () => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
    const reports: TableReport[] = [];
    for (const table of document.querySelectorAll('table')) {
      if (table.getBoundingClientRect().width === 0) continue;
      let scroller: HTMLElement | null = table.parentElement;
      while (scroller && scroller !== document.body && !['auto', 'scroll'].includes(getComputedStyle(scroller).overflowX))
        scroller = scroller.parentElement;
      if (scroller === document.body) scroller = null;
      const name = table.id || table.closest('[id]')?.id || table.className;
      const headers = table.querySelectorAll('thead th');
      const last = headers[headers.length - 1] as HTMLElement | undefined;
      const wider = scroller ? scroller.scrollWidth > scroller.clientWidth : table.getBoundingClientRect().right > innerWidth;
      const report: TableReport = {
        table: name,
        scroller: scroller ? scroller.className : null,
        overflowX: scroller ? getComputedStyle(scroller).overflowX : null,
        wider,
        cue: scroller?.dataset.more ?? null,
        fade: scroller ? getComputedStyle(scroller).maskImage : null,
        lastHeaderShown: false,
        stickyStays: null,
      };
      if (scroller && last) {
        scroller.scrollLeft = scroller.scrollWidth;
        await frame();
        const box = scroller.getBoundingClientRect();
        const cell = last.getBoundingClientRect();
        report.lastHeaderShown = cell.left >= box.left - 1 && cell.right <= box.right + 1 && cell.right <= innerWidth + 1;
        const sticky = table.querySelector<HTMLElement>('thead .sticky-col, thead .sticky-col-2');
        if (sticky) report.stickyStays = Math.abs(sticky.getBoundingClientRect().left - box.left) < 60;
        scroller.scrollLeft = 0;
        await frame();
      }
      reports.push(report);
    }
    return reports;
  });
}

/** The page never scrolls sideways, and nothing sticks out past its right edge unless a box around it scrolls. */
async function sideways(page: Page): Promise<{ scrollWidth: number; innerWidth: number; cut: string[] }> {
  return page.evaluate(() => {
    const insideScroller = (el: Element) => {
      for (let up = el.parentElement; up && up !== document.body; up = up.parentElement)
        if (getComputedStyle(up).overflowX !== 'visible') return true;
      return false;
    };
    const cut = [...document.querySelectorAll('body *')]
      .filter((el) => {
        const box = el.getBoundingClientRect();
        return box.width > 0 && box.right > innerWidth + 1 && !insideScroller(el);
      })
      .map((el) => `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}.${el.className}`);
    return { scrollWidth: document.documentElement.scrollWidth, innerWidth, cut };
  });
}

/** Each chart: its drawn width on screen and the width Vega drew it at (below 1: scaled down). */
async function charts(page: Page, selector: string): Promise<{ width: number; scale: number }[]> {
  return page.locator(`${selector} svg`).evaluateAll((svgs) =>
    svgs.map((svg) => {
      const width = svg.getBoundingClientRect().width;
      return { width: Math.round(width), scale: Math.round((width / Number(svg.getAttribute('width'))) * 100) / 100 };
    }),
  );
}

describe('the site on a phone (390 × 844)', () => {
  let site: FixtureSite, browser: Browser, page: Page, seen: PageWatch;
  beforeAll(async () => ({ site, browser, page, seen } = await openSitePage(PHONE)));
  afterAll(() => closeSitePage(site, browser));

  const run = () => `experiments/${site.info.experiments.qa}/runs/${site.info.runs.baseline}/`;
  const compare = () => `compare/?runs=${site.info.runs.baseline},${site.info.runs.candidate}`;

  /** Opens a page and checks what every page owes a phone: no sideways page, every wide table reachable. */
  async function open(path: string, ready: () => Promise<unknown>): Promise<TableReport[]> {
    await page.goto(`${site.url}${path}`);
    await ready();
    // The scroll cues are set on the next frame after the tables are built.
    await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
    const page_ = await sideways(page);
    expect(page_.scrollWidth, path).toBeLessThanOrEqual(page_.innerWidth);
    expect(page_.cut, path).toEqual([]);
    const tables = await tableReports(page);
    for (const t of tables.filter((t) => t.wider)) {
      expect(t.overflowX, `${path} ${t.table}`).toMatch(/^(auto|scroll)$/);
      expect(t.lastHeaderShown, `${path} ${t.table}: last column reachable`).toBe(true);
      expect(t.cue ?? 'none', `${path} ${t.table}: cue that more columns exist`).toMatch(/^(right|both)$/);
      expect(t.fade, `${path} ${t.table}: faded edge`).not.toBe('none');
      if (t.stickyStays !== null) expect(t.stickyStays, `${path} ${t.table}: first column stays`).toBe(true);
    }
    return tables;
  }
  const wide = (tables: TableReport[], name: string) => tables.find((t) => t.table === name && t.wider);

  it('home: fits the phone', async () => {
    await open('', () => page.locator('.card').first().waitFor());
    for (const chart of await charts(page, 'figure.chart')) expect(chart.scale).toBeGreaterThanOrEqual(0.85);
    expect(seen.errors).toEqual([]);
  });

  it('experiment: the runs table scrolls in its box with its run column in place; trend charts reflow to the phone at full text size', async () => {
    const tables = await open(`experiments/${site.info.experiments.qa}/`, () =>
      page.waitForFunction(() => [...document.querySelectorAll('figure[data-vega-spec]')].every((f) => f.hasAttribute('data-interactive'))),
    );
    expect(wide(tables, 'runs-table')?.stickyStays).toBe(true);
    const drawn = await charts(page, '#trends figure');
    expect(drawn.length).toBeGreaterThanOrEqual(2);
    for (const chart of drawn) {
      expect(chart.width).toBeGreaterThanOrEqual(MIN_CHART_WIDTH);
      expect(chart.width).toBeLessThanOrEqual(PHONE.width);
      expect(chart.scale).toBeGreaterThanOrEqual(0.95);
    }
    // Turned sideways, the phone has room for wider charts: they follow the screen.
    await page.setViewportSize({ width: PHONE.height, height: PHONE.width });
    try {
      await expect
        .poll(async () => Math.min(...(await charts(page, '#trends figure')).map((c) => c.width)))
        .toBeGreaterThan(PHONE.width + 100);
      expect((await sideways(page)).cut).toEqual([]);
    } finally {
      await page.setViewportSize(PHONE);
    }
    expect(seen.errors).toEqual([]);
  });

  it('run: overview tables scroll in their boxes, distribution charts keep their text size; the traces table keeps its trace column in place', async () => {
    await open(run(), () => page.locator('#annotation-summary').waitFor());
    for (const chart of await charts(page, 'figure.chart')) expect(chart.scale).toBeGreaterThanOrEqual(0.85);
    const tables = await open(`${run()}#traces`, () => page.locator('#traces-table tr.row').first().waitFor());
    expect(wide(tables, 'traces-table')?.stickyStays).toBe(true);
    expect(seen.errors).toEqual([]);
  });

  it('compare: the metrics and trace-by-trace tables scroll in their boxes with their first column in place; charts reflow at full text size', async () => {
    const tables = await open(compare(), () => page.waitForFunction(() => document.body.dataset.compareReady === 'charts'));
    expect(wide(tables, 'compare-metrics')?.stickyStays).toBe(true);
    expect(tables.some((t) => t.scroller?.includes('vt') && t.wider && t.stickyStays)).toBe(true);
    const drawn = await charts(page, '#cmp-charts figure');
    expect(drawn.length).toBe(2);
    for (const chart of drawn) {
      expect(chart.width).toBeGreaterThanOrEqual(MIN_CHART_WIDTH);
      expect(chart.width).toBeLessThanOrEqual(PHONE.width);
      expect(chart.scale).toBeGreaterThanOrEqual(0.95);
    }
    expect(seen.errors).toEqual([]);
  });

  it('opens the Columns menus of the runs and traces tables inside the screen, where the button has wrapped to the left', async () => {
    const menus: Record<string, { left: number; right: number }> = {};
    for (const [path, ready] of [
      [`experiments/${site.info.experiments.qa}/`, '#runs-table'],
      [`${run()}#traces`, '#traces-table tr.row'],
    ] as const) {
      await page.goto(`${site.url}${path}`);
      await page.locator(ready).first().waitFor();
      const chooser = page.locator('.column-chooser:visible');
      await chooser.locator('summary').click();
      const box = (await chooser.locator('.column-menu').boundingBox())!;
      menus[(await chooser.getAttribute('id'))!] = { left: Math.round(box.x), right: Math.round(box.x + box.width) };
    }
    expect(Object.keys(menus)).toEqual(['runs-columns', 'trace-columns']);
    for (const [id, menu] of Object.entries(menus)) {
      expect(menu.left, id).toBeGreaterThanOrEqual(0);
      expect(menu.right, id).toBeLessThanOrEqual(PHONE.width);
    }
  });

  it('says which way a metric improves in words, not with an arrow that reads as a sort order', async () => {
    for (const [path, ready, table] of [
      [`experiments/${site.info.experiments.qa}/`, '#runs-table', '#runs-table thead'],
      [compare(), '#compare-metrics tbody th', '#compare-metrics'],
    ] as const) {
      await page.goto(`${site.url}${path}`);
      await page.locator(ready).first().waitFor();
      const markers = await page.locator(`${table} th .direction`).allTextContents();
      expect(markers.length, path).toBeGreaterThanOrEqual(2);
      for (const marker of markers) expect(marker).toMatch(/^(higher|lower) is better$/);
      for (const header of await page.locator(`${table} th`).allTextContents()) expect(header).not.toMatch(/[↑↓]/);
    }
    // The metric cards of a run say it in their tooltip, also without an arrow.
    await page.goto(`${site.url}${run()}`);
    const titles = await page.locator('.metric-card[title]').evaluateAll((cards) => cards.map((c) => c.getAttribute('title')));
    expect(titles.length).toBeGreaterThan(0);
    for (const title of titles) expect(title).toMatch(/^(higher|lower) is better$/);
  });
});
