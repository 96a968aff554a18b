import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeSitePage, type FixtureSite, openSitePage, type PageWatch, watchPage } from './helpers/fixture-site.ts';

describe('comparing runs on the site', () => {
  let site: FixtureSite, browser: Browser, page: Page, seen: PageWatch;
  beforeAll(async () => ({ site, browser, page, seen } = await openSitePage({ width: 1400, height: 1000 })));
  afterAll(() => closeSitePage(site, browser));

  it('selects two runs on the experiment page and compares them (the first checked is the baseline)', async () => {
    const { info } = site;
    await page.goto(`${site.url}experiments/${info.experiments.qa}/`);
    const compare = page.locator('#compare-selected');
    await expect(compare.getAttribute('aria-disabled')).resolves.toBe('true');
    await page.locator(`input.pick[value="${info.runs.baseline}"]`).check();
    await page.locator(`input.pick[value="${info.runs.candidate}"]`).check();
    await expect(compare.getAttribute('aria-disabled')).resolves.toBe('false');
    await compare.click();
    await page.waitForURL(/\/compare\/\?runs=/);
    expect(new URL(page.url()).searchParams.get('runs')).toBe(`${info.runs.baseline},${info.runs.candidate}`);

    await page.locator('#compare-metrics').waitFor();
    const metrics = page.locator('#compare-metrics tbody tr');
    const names = await metrics.evaluateAll((rows) => rows.map((r) => r.getAttribute('data-metric')));
    expect(names).toEqual(expect.arrayContaining(['correct', 'f1', 'verdict', 'latencyMs', 'tokens', 'cost']));
    // f1 and latency moved a lot in the fixture: the engine says so, with a CI.
    await expect(page.locator('#compare-metrics tr[data-metric="f1"] .verdict').textContent()).resolves.toBe('better');
    await expect(page.locator('#compare-metrics tr[data-metric="latencyMs"] .verdict').textContent()).resolves.toBe('better');
    await expect(page.locator('#compare-metrics tr[data-metric="correct"]').textContent()).resolves.toMatch(/33\.3%.*75\.0%/);
    // Columns carry the letters the run cards and charts use: runs often share a name.
    const headers = await page.locator('#compare-metrics thead .run-name').allTextContents();
    expect(headers).toEqual([expect.stringMatching(/^A · /), expect.stringMatching(/^B · /), expect.stringMatching(/^B · /)]);
    await expect(page.locator('#compare-metrics thead .delta-col .sub').textContent()).resolves.toMatch(/^− A · /);
    // Latency and cost are named for people and their differences carry the unit.
    const latency = page.locator('#compare-metrics tr[data-metric="latencyMs"]');
    await expect(latency.locator('th').textContent()).resolves.toMatch(/^latency \(ms\)/);
    await expect(latency.locator('.delta-value').textContent()).resolves.toMatch(/^[+−]\d[\d.,]* (ms|s)$/);
    await expect(latency.locator('.delta-cell .ci').textContent()).resolves.toMatch(/^\[[+−±][\d.,]+ (ms|s), [+−±][\d.,]+ (ms|s)\]$/);
    await expect(page.locator('#compare-metrics tr[data-metric="cost"] .delta-value').textContent()).resolves.toMatch(/^[+−±]\$/);
    await expect(page.locator('section[aria-labelledby="cmp-config-title"]').textContent()).resolves.toContain('params.temperature');
    await expect(page.locator('section[aria-labelledby="cmp-config-title"] ins.diff-add').first().textContent()).resolves.toContain(
      'Think step by step',
    );
    await page.waitForFunction(() => document.body.dataset.compareReady === 'charts');
    expect(await page.locator('#cmp-charts figure svg').count()).toBe(2);
    expect(seen.errors).toEqual([]);
    expect(seen.external).toEqual([]);
  });

  it('filters aligned traces: changed, regressions, B better than A, text', async () => {
    const { info } = site;
    await page.goto(`${site.url}compare/?runs=${info.runs.baseline},${info.runs.candidate}`);
    await page.locator('tr.row').first().waitFor();
    const count = page.locator('.count');
    await expect(count.textContent()).resolves.toBe(`${info.tracesPerRun} of ${info.tracesPerRun} examples`);
    expect(await page.locator('tr.row td.winner').count()).toBeGreaterThan(0);

    await page.locator('#cmp-filter').selectOption('changed');
    await expect(count.textContent()).resolves.toMatch(/^\d+ of 24 examples$/);

    await page.locator('#cmp-filter').selectOption('better');
    await page.locator('#cmp-a').selectOption('B');
    await page.locator('#cmp-b').selectOption('A');
    const better = Number((await count.textContent())!.split(' ')[0]);
    expect(better).toBeGreaterThan(0);
    // Every row shown has B pass and A fail on the primary metric (correct); B's cell also says it won, to screen readers.
    const judged = await page
      .locator('tr.row')
      .evaluateAll((rows) => rows.map((r) => [r.children[3]!.textContent, r.children[5]!.textContent]));
    expect(judged.length).toBe(Math.min(better, judged.length));
    for (const [a, b] of judged) expect([a, b]).toEqual(['fail', 'pass (winner)']);
    expect(new URL(page.url()).searchParams.get('filter')).toBe('better');

    await page.locator('#cmp-filter').selectOption('regressions');
    const regressions = await page
      .locator('tr.row')
      .evaluateAll((rows) => rows.map((r) => [r.children[3]!.textContent, r.children[5]!.textContent]));
    for (const [a, b] of regressions) expect([a, b]).toEqual(['pass (winner)', 'fail']);

    await page.locator('#cmp-filter').selectOption('all');
    await page.locator('#cmp-search').fill('odyssey');
    await page.waitForFunction(() => document.querySelector('.count')?.textContent === '2 of 24 examples');

    // The filter state is in the URL: reloading shows the same view.
    await page.reload();
    await page.waitForFunction(() => document.querySelector('.count')?.textContent === '2 of 24 examples');
  });

  it('opens an aligned row: full outputs side by side with a word diff against the baseline', async () => {
    const { info } = site;
    await page.goto(`${site.url}compare/?runs=${info.runs.baseline},${info.runs.candidate}&q=ex-001`);
    await page.locator('tr.row').first().click();
    const detail = page.locator('#cmp-detail');
    await detail.locator('.cmp-outputs .panel').first().waitFor();
    expect(await detail.locator('.cmp-outputs .panel').count()).toBe(2);
    await expect(detail.locator('pre[aria-label="word diff of B against A"] ins').first().textContent()).resolves.toBeTruthy();
    await expect(detail.locator('pre[aria-label="word diff of B against A"] del').first().textContent()).resolves.toBeTruthy();
    const link = detail.locator('a', { hasText: 'open trace' }).nth(1);
    await link.click();
    await page.waitForURL(/\/trace\/\?id=candidate-t001/);
    await page.locator('h1', { hasText: 'candidate-t001' }).waitFor();
  });

  it('asks for runs when the URL names fewer than two, and says which ids are unknown', async () => {
    await page.goto(`${site.url}compare/?runs=nope-123,${site.info.runs.baseline}`);
    await page.locator('#cmp-picker[open]').waitFor();
    await expect(page.locator('.notice').first().textContent()).resolves.toContain('nope-123');
    await page.locator(`#cmp-picker input[value="${site.info.runs.candidate}"]`).check();
    await page.locator('#cmp-apply').click();
    await page.locator('#compare-metrics').waitFor();
  });

  it('says the runs share no example, instead of a table of "not compared"', async () => {
    const errors = watchPage(page, site.url);
    // The hostile run's examples (xss-ex-*) are none of the baseline's (ex-*).
    await page.goto(`${site.url}compare/?runs=${site.info.runs.baseline},${site.info.runs.xss}`);
    const notice = page.locator('#compare-no-shared-example');
    await notice.waitFor();
    await expect(notice.textContent()).resolves.toMatch(
      /^Not compared: the runs share no example: nothing can be paired \(A ".*": \d+, B ".*": \d+ examples\)\.$/,
    );
    expect(await page.locator('#compare-metrics').count()).toBe(0);
    expect(errors.errors).toEqual([]);
  });

  it('says which run has no traces to compare, instead of a table of dashes', async () => {
    const errors = watchPage(page, site.url);
    await page.goto(`${site.url}compare/?runs=${site.info.runs.baseline},${site.info.runs.empty}`);
    await page.waitForFunction(() => /has no traces/.test(document.querySelector('main')?.textContent ?? ''));
    await expect(page.locator('main').textContent()).resolves.toContain(`run B (${site.info.runs.empty}, failed) has no traces`);
    expect(await page.locator('#compare-metrics tbody tr').count()).toBe(0);
    expect(errors.errors).toEqual([]);
  });
});
