import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeSitePage, type FixtureSite, openSitePage, type PageWatch } from './helpers/fixture-site.ts';

/**
 * "Judges and people" in Chromium. The fixture's llm_judge `verdict` score and the people's
 * `verdict` label meet on the candidate run's t000 (judge: needs review, people: approved) and
 * t002 (judge: approved, Ada: needs review); on t001 the two people split, so it has no human
 * value. On the baseline run the judge matches the people wherever they agree.
 */
describe('judges and people on the site', () => {
  let site: FixtureSite, browser: Browser, page: Page, seen: PageWatch;
  beforeAll(async () => ({ site, browser, page, seen } = await openSitePage({ width: 1400, height: 1000 })));
  afterAll(() => closeSitePage(site, browser));

  const runPage = (run: string) => `${site.url}experiments/${site.info.experiments.qa}/runs/${run}/`;
  const shownIds = () => page.$$eval('#traces-table tr.row', (rows) => rows.map((tr) => (tr as HTMLTableRowElement).cells[1]!.textContent));

  it('shows the section, and its link filters the traces table to where judge and people disagree, kept in the URL', async () => {
    const { info } = site;
    await page.goto(runPage(info.runs.candidate));
    const row = page.locator('#judges-table tr[data-name="verdict"][data-judge="llm_judge"]');
    await expect(row.locator('td').nth(2).textContent()).resolves.toBe('2');
    // Opposite labels on both traces: κ = −1.
    await expect(row.locator('td').nth(3).textContent()).resolves.toMatch(/^κ -1\.00/);
    // Words and link apart, as are a name and its kind.
    await expect(page.locator('#judges-intro').innerText()).resolves.toMatch(
      /Judge and people disagree on 2 traces\. Show those traces\.$/,
    );
    await expect(row.locator('td').first().innerText()).resolves.toBe('verdict (label)');

    await page.locator('#judges-disagree-link').click();
    await page.waitForURL(/judge-disagree=1/);
    await page.locator('#traces-table tr.row').first().waitFor();
    expect(await shownIds()).toEqual(['candidate-t000', 'candidate-t002']);
    expect(await page.locator('#trace-judge-disagree').isChecked()).toBe(true);
    await expect(page.locator('#trace-count').textContent()).resolves.toBe(`2 of ${info.tracesPerRun} traces`);

    await page.locator('#trace-judge-disagree').uncheck();
    await expect(page.locator('#trace-count').textContent()).resolves.toBe(`${info.tracesPerRun} traces`);
    expect(page.url()).not.toContain('judge-disagree');
    await page.locator('#trace-judge-disagree').check();
    expect(page.url()).toContain('judge-disagree=1');
    await page.reload();
    await page.locator('#traces-table tr.row').first().waitFor();
    expect(await shownIds()).toEqual(['candidate-t000', 'candidate-t002']);
  });

  it('marks the name on a trace where the judge and the people disagree', async () => {
    await page.goto(`${runPage(site.info.runs.candidate)}trace/?id=candidate-t000`);
    const badge = page.locator('#trace-annotations tr.ann-name[data-name="verdict"] [data-judge-dispute]');
    await expect(badge.textContent()).resolves.toBe('judge llm_judge disagrees');
    await page.goto(`${runPage(site.info.runs.candidate)}trace/?id=candidate-t001`);
    await page.locator('#trace-annotations tr.ann-name[data-name="verdict"]').waitFor();
    // The two people split on t001, so there is no human value to disagree with.
    expect(await page.locator('#trace-annotations [data-judge-dispute]').count()).toBe(0);
  });

  it('a run where judge and people agree: κ 1 and no filter to offer; the compare page lists both runs', async () => {
    const { info } = site;
    await page.goto(`${runPage(info.runs.baseline)}#traces`);
    await page.locator('#traces-table tr.row').first().waitFor();
    await expect(page.locator('#judges-table tr[data-name="verdict"] td').nth(3).textContent()).resolves.toMatch(/^κ 1\.00/);
    expect(await page.locator('#trace-judge-disagree-label').isHidden()).toBe(true);
    expect(await page.locator('#judges-disagree-link').count()).toBe(0);

    await page.goto(`${site.url}compare/?runs=${info.runs.baseline},${info.runs.candidate}`);
    await page.waitForFunction(() => document.body.dataset.compareReady === 'stats' || document.body.dataset.compareReady === 'charts');
    const runs = await page.$$eval('#compare-judges tbody tr', (rows) =>
      rows.map((tr) => `${(tr as HTMLTableRowElement).cells[0]!.textContent} ${(tr as HTMLTableRowElement).cells[3]!.textContent}`),
    );
    expect(runs).toEqual(['A 2', 'B 2']);
    await expect(page.locator('#cmp-judges a').getAttribute('href')).resolves.toContain(`${info.runs.candidate}/?judge-disagree=1#traces`);
    // The aligned traces, filtered to examples where some run's judge and people disagree, in the URL.
    await page.locator('#cmp-filter').selectOption('judge-disagreements');
    await expect(page.locator('.count').textContent()).resolves.toBe(`2 of ${info.tracesPerRun} examples`);
    expect(page.url()).toContain('filter=judge-disagreements');
    expect(seen.errors).toEqual([]);
    expect(seen.external).toEqual([]);
  });
});
