import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeSitePage, type FixtureSite, openSitePage, type PageWatch } from './helpers/fixture-site.ts';

/**
 * What axe (accessibility.test.ts) cannot see: the site used with the keyboard alone, and what a
 * screen reader is told while keys move a table's active row.
 */
describe('the site with a keyboard and a screen reader', () => {
  let site: FixtureSite, browser: Browser, page: Page, seen: PageWatch;
  beforeAll(async () => ({ site, browser, page, seen } = await openSitePage({ width: 1280, height: 900 })));
  afterAll(() => closeSitePage(site, browser));

  /** The focused element: its tag, id, text, whether it lies inside <main>, and whether it is drawn on screen. */
  const focused = () =>
    page.evaluate(() => {
      const e = document.activeElement as HTMLElement;
      const box = e.getBoundingClientRect();
      return {
        tag: e.tagName.toLowerCase(),
        id: e.id,
        text: e.textContent?.trim() ?? '',
        inMain: e !== document.querySelector('main') && Boolean(e.closest('main')),
        onScreen: box.width > 1 && box.height > 1 && box.top >= 0 && box.left >= 0 && box.bottom <= innerHeight,
      };
    });

  it('offers "Skip to main content" as the first Tab stop of every page kind; it keeps the URL and the next Tab is in <main>', async () => {
    const { info } = site;
    const run = `experiments/${info.experiments.qa}/runs/${info.runs.baseline}/`;
    const pages = [
      { path: '', ready: '.card' },
      { path: `experiments/${info.experiments.qa}/`, ready: '#runs-table' },
      { path: run, ready: '#annotation-summary' },
      { path: `${run}trace/?id=${info.chatTrace}`, ready: '.tree-scroll' },
      { path: `compare/?runs=${info.runs.baseline},${info.runs.candidate}`, ready: '#compare-metrics' },
      { path: `experiments/${info.experiments.qa}/queues/${info.queue}/?review=zoe`, ready: '#review-trace section' },
    ];
    const report = [];
    for (const { path, ready } of pages) {
      await page.goto(`${site.url}${path}`);
      await page.locator(ready).first().waitFor();
      await page.keyboard.press('Tab');
      const first = await focused();
      const before = page.url();
      await page.keyboard.press('Enter');
      const afterEnter = await page.evaluate(() => document.activeElement?.id);
      const urlKept = page.url() === before;
      await page.keyboard.press('Tab');
      report.push({
        path,
        first: { text: first.text, onScreen: first.onScreen },
        afterEnter,
        urlKept,
        nextInMain: (await focused()).inMain,
      });
    }
    expect(report).toEqual(
      pages.map(({ path }) => ({
        path,
        first: { text: 'Skip to main content', onScreen: true },
        afterEnter: 'main',
        urlKept: true,
        nextInMain: true,
      })),
    );

    // The run page's tabs live in the hash: skipping must not switch Traces back to Overview.
    // (Opening #traces starts Tab in the section, so the link is focused here directly.)
    await page.goto(`${site.url}${run}#traces`);
    await page.locator('#traces-table tr.row').first().waitFor();
    await page.locator('a.skip-link').focus();
    await page.keyboard.press('Enter');
    expect(new URL(page.url()).hash).toBe('#traces');
    await expect(page.locator('#traces').isVisible()).resolves.toBe(true);
    await expect(page.evaluate(() => document.activeElement?.id)).resolves.toBe('main');
    expect(seen.errors).toEqual([]);
  });

  it('never leaves the focused control under the sticky top bar when Shift+Tab goes back up a long page', async () => {
    const { info } = site;
    await page.setViewportSize({ width: 1280, height: 500 });
    try {
      await page.goto(`${site.url}experiments/${info.experiments.qa}/runs/${info.runs.candidate}/`);
      await page.locator('#deploy-checks').waitFor();
      await page.locator('#deploy button').last().focus();
      const hidden: string[] = [];
      for (let i = 0; i < 40; i++) {
        await page.keyboard.press('Shift+Tab');
        const at = await page.evaluate(() => {
          const e = document.activeElement as HTMLElement;
          const bar = document.querySelector('.topbar')!.getBoundingClientRect().bottom;
          const box = e.getBoundingClientRect();
          return {
            name: `${e.tagName.toLowerCase()} ${e.textContent?.trim().slice(0, 30)}`,
            main: Boolean(e.closest('main')),
            under: box.top < bar,
          };
        });
        if (!at.main) break;
        if (at.under) hidden.push(at.name);
      }
      expect(hidden).toEqual([]);
    } finally {
      await page.setViewportSize({ width: 1280, height: 900 });
    }
  });

  it('keeps focus in the span tree, or puts it on the new heading, when n/p swap the trace in place; the title names trace and run', async () => {
    const { info } = site;
    await page.goto(`${site.url}experiments/${info.experiments.qa}/runs/${info.runs.baseline}/trace/?id=${info.chatTrace}`);
    await page.locator('.tree-scroll').focus();
    await expect(page.title()).resolves.toBe(`Trace ${info.chatTrace} · baseline · Labbook`);
    const where = () =>
      page.evaluate(() => ({
        focus: document.activeElement?.className || document.activeElement?.tagName,
        h1: document.querySelector('h1')?.textContent,
      }));
    await page.keyboard.press('n');
    await page.waitForFunction((id) => document.querySelector('h1')?.textContent !== id, info.chatTrace);
    await expect(where()).resolves.toEqual({ focus: 'tree-scroll', h1: 'baseline-t002' });
    // j still moves in the tree: the keys work on without a click.
    const selected = () => page.locator('.tree-row[aria-selected="true"]').getAttribute('id');
    const before = await selected();
    await page.keyboard.press('j');
    await expect(selected()).resolves.not.toBe(before);

    // From anywhere else (here the "next" link, removed with the old trace) focus goes to the new heading.
    await page.locator('a[rel="prev"]').focus();
    await page.keyboard.press('p');
    await page.waitForFunction(() => document.querySelector('h1')?.textContent === 'baseline-t001');
    await expect(page.evaluate(() => document.activeElement?.tagName)).resolves.toBe('H1');
    await expect(page.title()).resolves.toBe(`Trace ${info.chatTrace} · baseline · Labbook`);
  });

  it('lets the page-wide single-key shortcuts be turned off and on again, remembered across pages (WCAG 2.1.4)', async () => {
    const { info } = site;
    const trace = `${site.url}experiments/${info.experiments.qa}/runs/${info.runs.baseline}/trace/?id=baseline-t002`;
    await page.goto(trace);
    const toggle = page.locator('.keys-help .shortcuts-toggle');
    await expect(toggle.getAttribute('aria-pressed')).resolves.toBe('true');
    await toggle.click();
    await expect(toggle.getAttribute('aria-pressed')).resolves.toBe('false');
    await expect(toggle.textContent()).resolves.toBe('single-key shortcuts off (turn on)');
    await page.locator('h1').focus();
    await page.keyboard.press('n');
    await page.keyboard.press('p');
    await page.waitForTimeout(200); // what a key would have loaded by now
    await expect(page.locator('h1').textContent()).resolves.toBe('baseline-t002');
    // Off in review mode too, since the choice is the browser's: 1 picks no label there.
    await page.goto(`${site.url}experiments/${info.experiments.qa}/queues/${info.queue}/?review=zoe`);
    await page.locator('#review-form').waitFor();
    await expect(page.locator('.keys-help .shortcuts-toggle').getAttribute('aria-pressed')).resolves.toBe('false');
    const status = await page.locator('#review-form').innerText();
    await page.keyboard.press('1');
    await page.waitForTimeout(200);
    await expect(page.locator('#review-form').innerText()).resolves.toBe(status);
    await page.locator('.keys-help .shortcuts-toggle').click();
    await page.goto(trace);
    await page.locator('h1').focus();
    await page.keyboard.press('n');
    await page.waitForFunction(() => document.querySelector('h1')?.textContent !== 'baseline-t002');
  });

  it('names a failed span "error" in the span tree, not only with a red "!" that screen readers skip', async () => {
    const { info } = site;
    await page.goto(`${site.url}experiments/${info.experiments.qa}/runs/${info.runs.baseline}/trace/?id=${info.errorTrace}`);
    const failing = page.locator('[role="treeitem"]', { hasText: 'calculator' });
    await failing.waitFor();
    await expect(failing.ariaSnapshot()).resolves.toMatch(/treeitem "[^"]*calculator[^"]*\(error\)/);
    await expect(page.locator('[role="treeitem"]', { hasText: 'plan' }).ariaSnapshot()).resolves.not.toContain('error');
  });

  it('marks the span and the table row the keys are on with an edge of 3:1 contrast or more, in both themes, not only a faint tint', async () => {
    const { info } = site;
    const run = `experiments/${info.experiments.qa}/runs/${info.runs.baseline}/`;
    const report: Record<string, number[]> = {};
    for (const colorScheme of ['light', 'dark'] as const) {
      const themed = await browser.newPage({ colorScheme, viewport: { width: 1280, height: 900 } });
      // Looked up and measured in one task: the tables re-render their rows, so a handle can go stale.
      const contrast = async (selector: string) => {
        await themed.locator(selector).waitFor();
        return themed.evaluate((selector) => {
          const el = document.querySelector(selector)!;
          const rgb = (c: string) => (c.match(/[\d.]+/g) ?? []).slice(0, 3).map(Number);
          const lum = (c: number[]) =>
            c
              .map((v) => ((v /= 255) <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4))
              .reduce((sum, v, i) => sum + v * [0.2126, 0.7152, 0.0722][i]!, 0);
          let back = 'rgba(0, 0, 0, 0)';
          for (let up: Element | null = el; up && /rgba\(.*, 0\)$/.test(back); up = up.parentElement)
            back = getComputedStyle(up).backgroundColor;
          const edge = /^(rgba?\([^)]*\))/.exec(getComputedStyle(el).boxShadow)?.[1];
          if (!edge) return 1; // no edge: only the tint tells the row apart
          const [a, b] = [lum(rgb(edge)), lum(rgb(back))];
          return Math.round(((Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05)) * 10) / 10;
        }, selector);
      };
      await themed.goto(`${site.url}${run}trace/?id=${info.chatTrace}`);
      const tree = await contrast('.tree-row[aria-selected="true"]');
      await themed.goto(`${site.url}${run}#traces`);
      const table = await contrast('#traces-table tr.row.active td:first-child');
      report[colorScheme] = [tree, table];
      await themed.close();
    }
    for (const [scheme, ratios] of Object.entries(report))
      for (const ratio of ratios) expect(ratio, `${scheme}: ${JSON.stringify(report)}`).toBeGreaterThanOrEqual(3);
  });

  it('gives the run page’s distribution charts the counts they draw as their accessible names', async () => {
    const { info } = site;
    await page.goto(`${site.url}experiments/${info.experiments.qa}/runs/${info.runs.baseline}/`);
    await page.locator('#annotation-summary').waitFor();
    const names = await page.locator('figure.chart[role="img"]').evaluateAll((figures) => figures.map((f) => f.getAttribute('aria-label')));
    expect(names).toContain('distribution of correct: 8 pass, 16 fail');
    expect(names).toContainEqual(expect.stringMatching(/^distribution of f1, traces per range: 0\.3 to 0\.4: 6; 0\.4 to 0\.5: 6; /));
    expect(names).toContainEqual(expect.stringMatching(/^distribution of trace latency in milliseconds, traces per range: \d/));
  });

  it('titles review mode apart from the queue overview it comes from', async () => {
    const { info } = site;
    const queue = `${site.url}experiments/${info.experiments.qa}/queues/${info.queue}/`;
    await page.goto(queue);
    await page.locator('#queue-progress').waitFor();
    const overview = await page.title();
    await page.goto(`${queue}?review=zoe`);
    await page.locator('#review-form').waitFor();
    await expect(page.title()).resolves.toBe(`Reviewing as zoe · ${overview}`);
  });

  it('keeps focus on the same label button when j/k move review mode to another trace, instead of dropping it to the page', async () => {
    const { info } = site;
    await page.goto(`${site.url}experiments/${info.experiments.qa}/queues/${info.queue}/?review=zoe`);
    const choice = page.locator('#review-form button.review-choice').last();
    await choice.waitFor();
    const value = await choice.getAttribute('data-value');
    await choice.focus();
    const trace = await page.locator('#review-form p.mono').textContent();
    await page.keyboard.press('j');
    await page.waitForFunction((before) => document.querySelector('#review-form p.mono')?.textContent !== before, trace);
    await expect(
      page.evaluate(() => {
        const e = document.activeElement as HTMLElement;
        return { inForm: Boolean(e.closest('#review-form')), value: e.dataset.value ?? null };
      }),
    ).resolves.toEqual({ inForm: true, value });
  });

  it('reads out the row the arrow keys move to in the traces table, by column name', async () => {
    const { info } = site;
    await page.goto(`${site.url}experiments/${info.experiments.qa}/runs/${info.runs.baseline}/#traces`);
    await page.locator('#traces-table tr.row').first().waitFor();
    await page.locator('#traces-table .vt').focus();
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    const live = page.locator('#traces-table .vt + [aria-live="polite"]');
    await expect(live.textContent()).resolves.toMatch(
      new RegExp(`^row 3 of ${info.tracesPerRun}\\. #: 3; trace: baseline-t002; input: .+; status: ok`),
    );
    // A button's word is no cell value: Tab reaches the button itself.
    await expect(live.textContent()).resolves.not.toContain('annotate');
    await page.keyboard.press('End');
    await expect(live.textContent()).resolves.toMatch(new RegExp(`^row ${info.tracesPerRun} of ${info.tracesPerRun}\\. `));
  });

  it('says which run won an aligned trace in words, in the compare table and its read-out (the star is decoration); the title names the runs', async () => {
    const { info } = site;
    await page.goto(`${site.url}compare/?runs=${info.runs.baseline},${info.runs.candidate}`);
    const table = page.locator('.vt[aria-label="Aligned traces"]');
    await table.locator('tr.row').first().waitFor();
    // The title names the runs, so two comparisons in two tabs differ (set once the runs are read).
    await page.waitForFunction(() => document.title !== 'Compare runs · Labbook', null, { timeout: 10_000 }).catch(() => {});
    await expect(page.title()).resolves.toBe('A baseline, B candidate · Compare runs · Labbook');
    const winner = table.locator('tr.row td.winner').first();
    await expect(winner.ariaSnapshot()).resolves.toMatch(/\(winner\)/);
    await expect(winner.ariaSnapshot()).resolves.not.toContain('★');
    // The star still shows.
    await expect(winner.evaluate((td) => getComputedStyle(td, '::before').content)).resolves.toContain('★');

    const pos = await winner.evaluate((td) => Number(td.closest('tr')!.dataset.pos));
    await table.focus();
    await page.keyboard.press('Home');
    for (let i = 0; i < pos; i++) await page.keyboard.press('ArrowDown');
    await expect(page.locator('.vt[aria-label="Aligned traces"] + [aria-live="polite"]').textContent()).resolves.toMatch(
      new RegExp(`^row ${pos + 1} of \\d+\\. example: ex-\\d+; .*\\(winner\\)`),
    );
  });
});
