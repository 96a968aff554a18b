import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BASE, closeSitePage, type FixtureSite, openSitePage, type PageWatch } from './helpers/fixture-site.ts';

describe('site navigation: home → experiment → run → trace → span', () => {
  let site: FixtureSite, browser: Browser, page: Page, seen: PageWatch;
  beforeAll(async () => ({ site, browser, page, seen } = await openSitePage({ width: 1400, height: 900 })));
  afterAll(() => closeSitePage(site, browser));

  async function internalLinksCarryBase(): Promise<string[]> {
    return page.$$eval(
      'a[href^="/"]',
      (links, base) => links.map((a) => a.getAttribute('href')!).filter((href) => !href.startsWith(base)),
      BASE,
    );
  }

  it('clicks from the home page to a span of a trace', async () => {
    const { info } = site;
    await page.goto(site.url);
    await expect(page.locator('h1').textContent()).resolves.toBe('Experiments');
    expect(await internalLinksCarryBase()).toEqual([]);
    // "Best" is a point estimate: its interval and n say how far to trust the lead.
    const card = page.locator('.card', { has: page.locator('h2 a', { hasText: info.experiments.qa }) });
    await expect(card.textContent()).resolves.toMatch(/correct \d+\.\d%\s*\(\[\d+\.\d%, \d+\.\d%\], n\s=\s\d+\)/);
    await page.locator('.card h2 a', { hasText: info.experiments.qa }).click();

    await page.waitForURL(`**${BASE}experiments/${info.experiments.qa}/`);
    expect(await page.locator('#runs-table tbody tr').count()).toBe(2);
    expect(await page.locator('#runs-table td.best').count()).toBeGreaterThan(0);
    expect(await internalLinksCarryBase()).toEqual([]);
    await page.locator('#runs-table a', { hasText: 'baseline' }).click();

    await page.waitForURL(`**/runs/${info.runs.baseline}/`);
    await expect(page.locator('.metric-card.primary .name').textContent()).resolves.toContain('correct');
    expect(await page.locator('.chart svg').count()).toBeGreaterThan(0);
    await expect(page.locator('pre[aria-label="config YAML"]').textContent()).resolves.toContain('model: gpt-4o-mini');
    await page.locator('#tab-traces').click();
    await page.locator('#traces-table tr.row').first().waitFor();
    await expect(page.locator('#trace-count').textContent()).resolves.toBe(`${info.tracesPerRun} traces`);
    await page.locator('#traces-table a', { hasText: info.chatTrace }).click();

    await page.waitForURL(`**/trace/?id=${info.chatTrace}`);
    await page.locator('[role="treeitem"]').first().waitFor();
    await expect(page.locator('h1').textContent()).resolves.toBe(info.chatTrace);
    expect(await page.locator('[role="treeitem"]').count()).toBe(5);
    await page.locator('[role="treeitem"]', { hasText: 'plan' }).click();
    const detail = page.locator('section[aria-label="Selected span"]');
    await expect(detail.locator('h2').textContent()).resolves.toBe('plan');
    await expect(detail.textContent()).resolves.toContain('gpt-4o-mini');
    await expect(detail.locator('.chat .msg.user').first().textContent()).resolves.toContain('Who wrote the Odyssey?');
    await expect(detail.locator('.call .fn').first().textContent()).resolves.toBe('calculator');
    expect(new URL(page.url()).searchParams.get('span')).toBe('llm-1');
    expect(seen.errors).toEqual([]);
    expect(seen.external).toEqual([]);
  });

  it('moves between spans with j/k and arrows, and between traces with n/p', async () => {
    const { info } = site;
    await page.goto(`${site.url}experiments/${info.experiments.qa}/runs/${info.runs.baseline}/trace/?id=${info.chatTrace}&span=llm-1`);
    await page.locator('[role="treeitem"][aria-selected="true"]', { hasText: 'plan' }).waitFor();
    await page.locator('[role="tree"]').focus();
    await page.keyboard.press('j');
    const detail = page.locator('section[aria-label="Selected span"]');
    await expect(detail.locator('h2').textContent()).resolves.toBe('calculator');
    await expect(detail.locator('.call').textContent()).resolves.toMatch(/calculator\(.*\)→/s);
    await page.keyboard.press('ArrowDown');
    await expect(detail.locator('h2').textContent()).resolves.toBe('search docs');
    // A retriever's output reads as document cards: title or id, score, text.
    const card = detail.locator('ol.doc-cards li.doc-card');
    expect(await card.count()).toBe(1);
    await expect(card.textContent()).resolves.toBe('#1doc-1score 0.82Reference text about the question.');
    await page.keyboard.press('k');
    await expect(detail.locator('h2').textContent()).resolves.toBe('calculator');
    await page.keyboard.press('h'); // a leaf: goes to its parent
    await expect(detail.locator('h2').textContent()).resolves.toBe('agent');
    await page.keyboard.press('h'); // the root collapses
    expect(await page.locator('[role="treeitem"]').count()).toBe(1);
    await page.keyboard.press('l');
    expect(await page.locator('[role="treeitem"]').count()).toBe(5);

    await page.keyboard.press('n');
    await page.waitForURL(/id=baseline-t002/);
    await page.locator('h1', { hasText: 'baseline-t002' }).waitFor();
    await page.keyboard.press(']');
    await page.locator('h1', { hasText: 'baseline-t003' }).waitFor();
    await page.keyboard.press('p');
    await page.locator('h1', { hasText: 'baseline-t002' }).waitFor();
    await page.goBack();
    await page.locator('h1', { hasText: 'baseline-t003' }).waitFor();
    expect(seen.errors).toEqual([]);
  });

  it('shows a failed trace with its error and the failing span marked', async () => {
    const { info } = site;
    await page.goto(`${site.url}experiments/${info.experiments.qa}/runs/${info.runs.baseline}/trace/?id=${info.errorTrace}`);
    await page.locator('pre[aria-label="trace error"]').waitFor();
    await expect(page.locator('pre[aria-label="trace error"]').textContent()).resolves.toContain('tool calculator failed');
    const failing = page.locator('[role="treeitem"]', { hasText: 'calculator' });
    expect(await failing.locator('.err').count()).toBe(1);
    await failing.click();
    await expect(page.locator('pre[aria-label="span error"]').textContent()).resolves.toContain('ZeroDivisionError');
    // Its exception event: each attribute on its own line, the stack trace with its lines, all
    // inside the panel however long a path in it.
    const stack = page.locator('.detail .kv dd pre.text-value').filter({ hasText: 'at runTool' });
    await expect(stack.textContent()).resolves.toMatch(/division by zero\n\s+at calculator/);
    await expect(page.locator('.detail .kv dt').allTextContents()).resolves.toEqual(
      expect.arrayContaining(['exception.type', 'exception.message', 'exception.stacktrace']),
    );
    const overflow = await page.locator('.detail').evaluate((panel) => {
      const box = panel.getBoundingClientRect();
      return [...panel.querySelectorAll('dd, pre')].filter((el) => el.getBoundingClientRect().right > box.right + 1).length;
    });
    expect(overflow).toBe(0);
  });

  it('shows a run with no cost recorded as "—" in its usage tables, as on its cost card, and a priced run in dollars', async () => {
    const { info } = site;
    const costs = async (experiment: string, run: string) => {
      await page.goto(`${site.url}experiments/${experiment}/runs/${run}/`);
      return page.locator('.section:has(h2:text-is("Usage")) tbody tr td:nth-child(5)').allTextContents();
    };
    const unpriced = await costs(info.experiments.xss, info.runs.xss);
    expect(unpriced.length).toBeGreaterThan(0);
    expect(new Set(unpriced)).toEqual(new Set(['—']));
    expect(await costs(info.experiments.qa, info.runs.baseline)).toContainEqual(expect.stringMatching(/^\$\d/));
    // Failed traces and spans with an error are told apart (the tool spans that failed).
    await expect(page.locator('main').textContent()).resolves.toMatch(/\d+ \(\d+ failed, [\d,]+ spans, \d+ with an error\)/);
  });

  it('keeps the page and its parent readable in the breadcrumb on a phone', async () => {
    const { info } = site;
    const phone = await browser.newPage({ viewport: { width: 390, height: 844 } });
    await phone.goto(`${site.url}experiments/${info.experiments.qa}/runs/${info.runs.baseline}/trace/?id=${info.chatTrace}`);
    await phone.locator('[role="treeitem"]').first().waitFor();
    const crumbs = await phone
      .locator('.crumbs > a, .crumbs > span:not(.sep)')
      .evaluateAll((items) =>
        items
          .filter((item) => (item as HTMLElement).offsetParent !== null)
          .map((item) => ({ text: item.textContent, cut: (item as HTMLElement).scrollWidth > (item as HTMLElement).clientWidth })),
      );
    expect(crumbs.map((c) => c.text)).toEqual(['baseline', 'trace']); // the run and the page; the experiment gives way
    expect(crumbs.filter((c) => c.cut)).toEqual([]);
    await expect(phone.locator('a.brand').getAttribute('aria-label')).resolves.toBe('Labbook home');
    await phone.close();
  });

  it('keeps only the visible spans of a 400-span trace in the DOM', async () => {
    const { info } = site;
    await page.goto(`${site.url}experiments/${info.experiments.qa}/runs/${info.runs.candidate}/trace/?id=${info.bigTrace}`);
    const tree = page.locator('[role="tree"]');
    await tree.waitFor();
    await expect(tree.getAttribute('aria-label')).resolves.toBe('Span tree, 405 spans');
    const rendered = await page.locator('[role="treeitem"]').count();
    expect(rendered).toBeGreaterThan(10);
    expect(rendered).toBeLessThan(120);
    await tree.focus();
    await page.keyboard.press('End');
    const last = page.locator('[role="treeitem"][aria-selected="true"]');
    await expect(last.getAttribute('aria-posinset')).resolves.toBe(await last.getAttribute('aria-setsize'));
    expect(await page.locator('[role="treeitem"]').count()).toBeLessThan(120);
  });
});
