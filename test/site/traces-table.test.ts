import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeSitePage, type FixtureSite, openSitePage, type PageWatch } from './helpers/fixture-site.ts';

describe('the traces table and the runs table: filters and sorting', () => {
  let site: FixtureSite, browser: Browser, page: Page, seen: PageWatch;
  beforeAll(async () => ({ site, browser, page, seen } = await openSitePage({ width: 1600, height: 1000 })));
  afterAll(() => closeSitePage(site, browser));

  const runPage = () => `${site.url}experiments/${site.info.experiments.qa}/runs/${site.info.runs.baseline}/`;
  const count = () => page.locator('#trace-count').textContent();
  const column = (header: string) =>
    page.evaluate((name) => {
      const headers = [...document.querySelectorAll('#traces-table thead th')].map((th) => th.textContent);
      const index = headers.indexOf(name);
      return [...document.querySelectorAll('#traces-table tr.row')].map((tr) => (tr as HTMLTableRowElement).cells[index]!.textContent);
    }, header);

  it('filters by status, free text, score and label, and keeps the filters in the URL', async () => {
    await page.goto(`${runPage()}#traces`);
    await page.locator('#traces-table tr.row').first().waitFor();
    await page.locator('#trace-status').selectOption('error');
    await expect(count()).resolves.toBe('3 of 24 traces');
    expect(new Set(await column('status'))).toEqual(new Set(['error']));
    await page.locator('#trace-status').selectOption('all');

    await page.locator('#trace-search').fill('odyssey');
    await page.waitForFunction(() => document.querySelector('#trace-count')?.textContent === '2 of 24 traces');
    await page.locator('#trace-search').fill('');
    await page.waitForFunction(() => document.querySelector('#trace-count')?.textContent === '24 traces');

    // Score filter: f1 ≥ 0.6.
    await page.locator('#filter-column').selectOption('score:f1');
    await page.locator('#filter-op').selectOption('>=');
    await page.locator('#filter-value').fill('0.6');
    await page.locator('#filter-add').click();
    const f1 = (await column('f1')).map(Number);
    expect(f1.length).toBeGreaterThan(0);
    expect(f1.length).toBeLessThan(24);
    for (const v of f1) expect(v).toBeGreaterThanOrEqual(0.6);

    // Label filter on top: verdict is approved.
    await page.locator('#filter-column').selectOption('score:verdict');
    await page.locator('#filter-op').selectOption('=');
    await page.locator('#filter-value').selectOption('approved');
    await page.locator('#filter-add').click();
    expect(new Set(await column('verdict'))).toEqual(new Set(['approved']));
    const filtered = await count();

    const url = new URL(page.url());
    expect(url.searchParams.getAll('f')).toHaveLength(2);
    await page.reload();
    await page.locator('#traces-table tr.row').first().waitFor();
    await expect(count()).resolves.toBe(filtered);

    // Removing a filter chip widens the set again.
    await page.locator('#trace-filters button').first().click();
    await page.locator('#trace-filters button').first().click();
    await expect(count()).resolves.toBe('24 traces');
    expect(seen.errors).toEqual([]);
  });

  it('sorts by any column, missing values last, both ways', async () => {
    await page.goto(`${runPage()}#traces`);
    await page.locator('#traces-table tr.row').first().waitFor();
    const sortBy = (label: string) => page.locator('#traces-table thead th button', { hasText: new RegExp(`^${label}$`) }).click();
    await sortBy('latency');
    const asc = (await column('latency')).map((t) => Number.parseFloat(t!));
    expect(asc).toEqual([...asc].sort((a, b) => a - b));
    await sortBy('latency');
    const desc = (await column('latency')).map((t) => Number.parseFloat(t!));
    expect(desc).toEqual([...desc].sort((a, b) => b - a));
    await expect(page.locator('#traces-table th[aria-sort="descending"]').textContent()).resolves.toBe('latency');

    await sortBy('verdict');
    const verdicts = await column('verdict');
    const present = verdicts.filter((v) => v !== '—');
    expect(present).toEqual([...present].sort());
    expect(verdicts.slice(present.length).every((v) => v === '—')).toBe(true);
    expect(new URL(page.url()).searchParams.get('sort')).toBe('score:verdict');
  });

  it('opens a trace from the keyboard, and n walks the table order', async () => {
    await page.goto(`${runPage()}?sort=-latency#traces`);
    await page.locator('#traces-table tr.row').first().waitFor();
    const ids = await column('trace');
    await page.locator('#traces-table .vt').focus();
    await page.keyboard.press('j');
    await page.keyboard.press('Enter');
    await page.waitForURL(new RegExp(`id=${ids[1]}`));
    await page.locator('h1', { hasText: ids[1]! }).waitFor();
    await page.keyboard.press('n');
    await page.locator('h1', { hasText: ids[2]! }).waitFor();
  });

  it('sorts, filters and searches the runs table', async () => {
    await page.goto(`${site.url}experiments/${site.info.experiments.qa}/`);
    const names = () => page.locator('#runs-table tbody tr:not([hidden]) td:nth-child(2) a').allTextContents();
    await expect(names()).resolves.toEqual(['candidate', 'baseline']);
    await page.locator('#runs-table th button', { hasText: /^correct/ }).click();
    await expect(names()).resolves.toEqual(['baseline', 'candidate']);
    await page.locator('#runs-table th button', { hasText: /^correct/ }).click();
    await expect(names()).resolves.toEqual(['candidate', 'baseline']);
    await page.locator('#runs-search').fill('gpt-4o-mini');
    await expect(names()).resolves.toEqual(['baseline']);
    await expect(page.locator('#runs-count').textContent()).resolves.toBe('1 of 2 runs');
    await page.locator('#runs-search').fill('');
    await page.locator('#runs-status').selectOption('failed');
    await expect(names()).resolves.toEqual([]);
  });

  it('fits the annotate button in its cell, and says so when a run recorded no traces', async () => {
    await page.goto(`${runPage()}#traces`);
    await page.locator('#traces-table tr.row').first().waitFor();
    const fits = await page.evaluate(() =>
      [...document.querySelectorAll('#traces-table button[data-annotate-row]')].every((button) => {
        const cell = button.closest('td')!.getBoundingClientRect();
        const box = button.getBoundingClientRect();
        return box.left >= cell.left && box.right <= cell.right;
      }),
    );
    expect(fits).toBe(true);

    await page.goto(`${site.url}experiments/${site.info.experiments.empty}/runs/${site.info.runs.empty}/`);
    await expect(page.locator('#no-traces').textContent()).resolves.toBe('This run recorded no traces: command exited with code 1');
    expect(await page.locator('#traces-table').count()).toBe(0);
    expect(seen.errors).toEqual([]);
  });

  it('filters on what the spans are: a type, a model, a tool, an attribute, kept in the URL', async () => {
    await page.goto(`${site.url}experiments/${site.info.experiments.qa}/runs/${site.info.runs.candidate}/#traces`);
    await page.locator('#traces-table tr.row').first().waitFor();
    const groups = await page.locator('#span-facet optgroup').evaluateAll((gs) => gs.map((g) => g.getAttribute('label')));
    expect(groups).toEqual(['span type', 'model', 'tool', 'span attribute']);
    // Only the big trace has the 400 extra steps (CHAIN spans and TOOL spans named "step k").
    await page.locator('#span-facet').selectOption('type:CHAIN');
    await expect(count()).resolves.toBe(`1 of 24 traces`);
    await expect(page.locator('#traces-table tr.row').first().textContent()).resolves.toContain(site.info.bigTrace);
    await page.locator('#span-facet').selectOption('model:gpt-4o');
    await expect(count()).resolves.toBe(`1 of 24 traces`);
    expect(new URL(page.url()).searchParams.getAll('span')).toEqual(['type:CHAIN', 'model:gpt-4o']);
    await page.locator('#trace-filters button', { hasText: 'span type CHAIN' }).click();
    await expect(count()).resolves.toBe('24 traces');
    await page.locator('#span-facet').selectOption('attr:temperature=0.2');
    await expect(count()).resolves.toBe('24 traces');
    await page.locator('#span-facet').selectOption('tool:step 3');
    await expect(count()).resolves.toBe(`1 of 24 traces`);
    await page.reload();
    await page.locator('#traces-table tr.row').first().waitFor();
    await expect(count()).resolves.toBe(`1 of 24 traces`);
    expect(seen.errors).toEqual([]);
  });

  it('searches the traces of every run of the experiment at once', async () => {
    await page.goto(`${site.url}experiments/${site.info.experiments.qa}/`);
    await page.locator('#search-runs-input').fill('odyssey');
    const status = page.locator('#search-runs-status');
    await page.waitForFunction(() => /match/.test(document.querySelector('#search-runs-status')?.textContent ?? ''));
    // "odyssey" is in two questions of each qa run.
    await expect(status.textContent()).resolves.toMatch(/^4 traces match \((baseline|candidate) 2 · (baseline|candidate) 2\)\.$/);
    expect(await page.locator('#search-runs-results li').count()).toBe(4);
    await page.locator('#search-runs-results li a').first().click();
    await page.waitForURL(/\/trace\/\?id=/);
    await page.goBack();
    await page.locator('#search-runs-input').fill('no such words anywhere');
    await page.waitForFunction(() => document.querySelector('#search-runs-status')?.textContent === 'No trace matches.');
    expect(seen.errors).toEqual([]);
  });

  it('hides and shows columns from the Columns menu, kept in the URL, in the traces and the runs tables', async () => {
    await page.goto(`${runPage()}#traces`);
    await page.locator('#traces-table tr.row').first().waitFor();
    const headers = () => page.locator('#traces-table thead th').allTextContents();
    expect(await headers()).toContain('input');
    await page.locator('#trace-columns summary').click();
    await page.locator('#trace-columns input[value="input"]').uncheck();
    await page.locator('#trace-columns input[value="cost"]').uncheck();
    expect(await headers()).not.toContain('input');
    expect(await headers()).not.toContain('cost');
    expect(new URL(page.url()).searchParams.get('hide')).toBe('input,cost');
    await page.reload();
    await page.locator('#traces-table tr.row').first().waitFor();
    expect(await headers()).not.toContain('input');
    expect((await headers()).length).toBeGreaterThan(5);

    await page.goto(`${site.url}experiments/${site.info.experiments.qa}/?hide=config,score:f1`);
    await page.locator('#runs-table').waitFor();
    const visible = () => page.locator('#runs-table thead th:not([hidden])').allTextContents();
    expect((await visible()).join('|')).not.toMatch(/config|f1/);
    expect(await page.locator('#runs-table tbody tr:first-child td:not([hidden])').count()).toBe((await visible()).length);
    await page.locator('#runs-columns summary').click();
    await page.locator('#runs-columns input[value="config"]').check();
    expect((await visible()).join('|')).toMatch(/config/);
    expect(new URL(page.url()).searchParams.get('hide')).toBe('score:f1');
    expect(seen.errors).toEqual([]);
  });
});
