import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deepFixtureSite, type FixtureSite, fixtureSite, launchChromium } from './helpers/fixture-site.ts';

/**
 * Words of the text inside `selector` that the browser split over two lines: each word's range
 * must lie in one line box. (An identifier such as `simulated_latency_ms` broken into
 * `simulated_late` / `ncy_ms` is unreadable.) Text a reader cannot see, inside a closed
 * <details>, is left out.
 */
function brokenWords(page: Page, selector: string): Promise<string[]> {
  return brokenPhrases(page, selector, /\S+/, { skipClosedDetails: true });
}

/** Phrases matching `pattern` in the text inside `selector` that the browser split over two lines. */
async function brokenPhrases(page: Page, selector: string, pattern: RegExp, { skipClosedDetails = false } = {}): Promise<string[]> {
  return page.evaluate(
    ({ cells, source, skipClosed }) => {
      const broken: string[] = [];
      for (const cell of document.querySelectorAll(cells)) {
        const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
        for (let node = walker.nextNode(); node; node = walker.nextNode()) {
          const details = node.parentElement?.closest('details');
          if (skipClosed && details && !details.open && !node.parentElement?.closest('summary')) continue;
          for (const match of (node.textContent ?? '').matchAll(new RegExp(source, 'g'))) {
            const range = document.createRange();
            range.setStart(node, match.index!);
            range.setEnd(node, match.index! + match[0].length);
            const lines = new Set([...range.getClientRects()].filter((r) => r.width > 0).map((r) => Math.round(r.top)));
            if (lines.size > 1) broken.push(match[0]);
          }
        }
      }
      return broken;
    },
    { cells: selector, source: pattern.source, skipClosed: skipClosedDetails },
  );
}

describe('the trace view and the annotation summaries read at 1,366 px and at 390 px', () => {
  let site: FixtureSite;
  /** Its trace has one score whose value ("0.5") is narrower than the word "value". */
  let deep: Awaited<ReturnType<typeof deepFixtureSite>>;
  let browser: Browser;

  beforeAll(async () => {
    site = await fixtureSite();
    deep = await deepFixtureSite();
    browser = await launchChromium();
  }, 300_000);
  afterAll(async () => {
    await browser?.close();
    await site?.server.close();
    await deep?.server.close();
  });

  // The scores table's headers: a narrow column of short values squeezed "value" into "val" / "ue".
  const SCORE_CELLS =
    'table.trace-scores thead th, table.trace-scores .score-name, table.trace-scores .score-value, table.trace-scores .score-source';

  for (const width of [1366, 390]) {
    it(`breaks no word of a score's name, value, source or column header at ${width} px`, async () => {
      const page = await browser.newPage({ viewport: { width, height: 900 } });
      const { info } = site;
      await page.goto(`${site.url}experiments/${info.experiments.qa}/runs/${info.runs.baseline}/trace/?id=baseline-t002`);
      await page.locator('table.trace-scores tbody tr').first().waitFor();
      expect(await page.locator('table.trace-scores tbody tr').count()).toBeGreaterThan(1);
      expect(await brokenWords(page, SCORE_CELLS)).toEqual([]);
      // The rationale wraps between words, and the table never needs a sideways scroll.
      const wrap = page.locator('table.trace-scores').locator('xpath=..');
      const size = await wrap.evaluate((e) => ({ scroll: e.scrollWidth, client: e.clientWidth }));
      expect(size.scroll).toBeLessThanOrEqual(size.client);
      await page.goto(`${deep.url}experiments/${deep.info.experiment}/runs/${deep.info.run}/trace/?id=${deep.info.trace}`);
      await page.locator('table.trace-scores tbody tr').first().waitFor();
      await expect(page.locator('table.trace-scores .score-value').textContent()).resolves.toBe('0.5');
      expect(await brokenWords(page, SCORE_CELLS)).toEqual([]);
      await page.close();
    });
  }

  for (const width of [1366, 390]) {
    it(`breaks no word of the annotation, judge, deploy check and deployment tables at ${width} px, on the run, experiment and compare pages`, async () => {
      const page = await browser.newPage({ viewport: { width, height: 900 } });
      const { info } = site;
      await page.goto(`${site.url}experiments/${info.experiments.qa}/runs/${info.runs.candidate}/`);
      await page.locator('#annotation-summary tbody tr').first().waitFor();
      // The agreement sentence is the longest cell: before, it squeezed the other columns until
      // their headers and names broke mid-word ("judgemen / ts").
      await expect(page.locator('#annotation-summary').textContent()).resolves.toContain("Krippendorff's α");
      expect(await brokenWords(page, '#annotation-summary th, #annotation-summary td')).toEqual([]);
      expect(await brokenWords(page, '#judges-table th, #judges-table td')).toEqual([]);
      // Deployments: dates, environments, commits and who.
      expect(await page.locator('table.deployments tbody tr').count()).toBeGreaterThan(0);
      expect(await brokenWords(page, 'table.deployments th, table.deployments td')).toEqual([]);
      // The deploy checks: "completed" and "SHA256SUMS" once broke as "complet / ed", "SHA256S / UMS".
      // A run's path (`qa-agent/20260116-candidate`) may break after its slash, as a path does.
      await expect(page.locator('#deploy-checks').textContent()).resolves.toContain('SHA256SUMS');
      const checks = await brokenWords(page, '#deploy-checks th, #deploy-checks td');
      expect(checks.filter((word) => !word.includes('/'))).toEqual([]);
      await page.goto(`${site.url}experiments/${info.experiments.qa}/`);
      await page.locator('table.deployments tbody tr').first().waitFor();
      expect(await brokenWords(page, 'table.deployments th, table.deployments td')).toEqual([]);
      await page.goto(`${site.url}compare/?runs=${info.runs.baseline},${info.runs.candidate}`);
      await page.locator('#compare-annotations tbody tr').first().waitFor();
      expect(await brokenWords(page, '#compare-annotations th, #compare-annotations td')).toEqual([]);
      await page.locator('#compare-judges tbody tr').first().waitFor();
      expect(await brokenWords(page, '#compare-judges th, #compare-judges td')).toEqual([]);
      // The config diff: keys break only at their dots (params.<wbr>temperature: two text nodes), values between words.
      await page.locator('table.config-diff td').first().waitFor();
      expect(await brokenWords(page, 'table.config-diff th, table.config-diff td')).toEqual([]);
      await page.close();
    });
  }

  it('keeps "n = 24" on one line on a phone, on the home page\'s best run and the run page\'s metric cards', async () => {
    const page = await browser.newPage({ viewport: { width: 390, height: 900 } });
    const { info } = site;
    const count = /n\s=\s\d+/;
    await page.goto(site.url);
    await expect(page.locator('.card').first().textContent()).resolves.toBeTruthy();
    await expect(page.locator('body').innerText()).resolves.toMatch(count);
    expect(await brokenPhrases(page, '.card', count)).toEqual([]);
    await page.goto(`${site.url}experiments/${info.experiments.qa}/runs/${info.runs.candidate}/`);
    await expect(page.locator('.metric-card .ci').first().innerText()).resolves.toMatch(count);
    expect(await brokenPhrases(page, '.metric-card .ci', count)).toEqual([]);
    await page.close();
  });
});
