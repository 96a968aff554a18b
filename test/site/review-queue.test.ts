import { cpSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkAnnotations } from '../../src/annotations/check-annotations.ts';
import { tempDir } from '../helpers/temp-dir.ts';
import { closeSitePage, type FixtureSite, openSitePage, type PageWatch } from './helpers/fixture-site.ts';

describe('a review queue, worked through with the keyboard', () => {
  let site: FixtureSite, browser: Browser, page: Page, seen: PageWatch;
  beforeAll(async () => ({ site, browser, page, seen } = await openSitePage({ width: 1366, height: 900 })));
  afterAll(() => closeSitePage(site, browser));

  const queueUrl = () => `${site.url}experiments/${site.info.experiments.qa}/queues/${site.info.queue}/`;

  it("is listed on the experiment page and shows each reviewer's share", async () => {
    await page.goto(`${site.url}experiments/${site.info.experiments.qa}/`);
    await page.locator('#queues a', { hasText: 'Weekly review of the baseline' }).click();
    await page.waitForURL(/\/queues\/weekly\/$/);
    await page.locator('#queue-progress').waitFor();
    await expect(page.locator('#queue-summary').textContent()).resolves.toBe('20 traces · 0 complete');
    const rows = await page
      .locator('#queue-progress tbody tr')
      .evaluateAll((trs) => trs.map((tr) => [...tr.children].slice(0, 3).map((c) => c.textContent)));
    expect(rows).toEqual([
      ['zoe', '0', '20'],
      ['yann', '0', '20'],
    ]);
    // Nobody has judged a sampled trace twice yet (the wording with κ and α: queue-agreement-text.test.ts).
    await expect(page.locator('#queue-agreement li').allTextContents()).resolves.toEqual([
      'verdict — no trace judged by two people yet',
      'reviewer_score — no trace judged by two people yet',
    ]);
    // The broken queue file (no label or metric to collect) has no page.
    expect((await page.request.get(`${site.url}experiments/${site.info.experiments.qa}/queues/broken/`)).status()).toBe(404);
    expect(seen.errors).toEqual([]);
  });

  it('judges 20 traces with keys alone, survives a reload halfway, and hands in one file the check accepts', async () => {
    await page.goto(`${queueUrl()}?review=zoe`);
    const status = page.locator('#review-status');
    await page.waitForFunction(() => /trace 1 of 20/.test(document.querySelector('#review-status')?.textContent ?? ''));
    await page.locator('#review-trace section[aria-label="Input"]').waitFor();
    const judge = async (i: number) => {
      await page.waitForFunction((n) => document.querySelector('#review-status')?.textContent?.includes(`trace ${n} of 20`), i + 1);
      // 1 approved, 2 needs review, 3 hallucination: a different label for every third trace.
      await page.keyboard.press(String((i % 3) + 1));
      await page.keyboard.press('m');
      await page.keyboard.type(String((i % 5) / 4));
      await page.keyboard.press('Enter');
      if (i === 4) {
        await page.keyboard.press('n');
        await page.keyboard.type('cites the wrong manual');
        await page.keyboard.press('Escape');
      }
      await page.keyboard.press('j');
    };
    for (let i = 0; i < 10; i++) await judge(i);
    await page.reload();
    await page.waitForFunction(() => /trace 11 of 20 · 10 judged/.test(document.querySelector('#review-status')?.textContent ?? ''));
    // What was typed before the reload is still there.
    await page.keyboard.press('k');
    await page.waitForFunction(() => /trace 10 of 20/.test(document.querySelector('#review-status')?.textContent ?? ''));
    await expect(page.locator('button.review-choice[aria-pressed="true"]').textContent()).resolves.toContain('approved');
    await expect(page.locator('input.review-metric').inputValue()).resolves.toBe('1'); // trace 10: (9 % 5) / 4
    await page.keyboard.press('j');
    for (let i = 10; i < 20; i++) await judge(i);
    await expect(status.textContent()).resolves.toMatch(/trace 20 of 20 · 20 judged/);
    await expect(page.locator('#review-count').textContent()).resolves.toBe('40 annotations on 20 of 20 traces.');
    await expect(page.locator('#review-commands').textContent()).resolves.toContain('labbook annotate --from');

    const yaml = (await page.locator('#review-yaml').textContent())!;
    const fileName = (await page.locator('#review-download').getAttribute('download'))!;
    expect(fileName).toMatch(/^zoe-\d{8}-\d{6}-[a-z2-9]{4}\.yaml$/);
    const data = join(tempDir('labbook-queue-'), 'experiments');
    cpSync(site.info.dataDir, data, { recursive: true });
    const file = join(data, site.info.experiments.qa, 'annotations', fileName);
    writeFileSync(file, yaml);
    const report = await checkAnnotations([file], { dataDir: data, cwd: data });
    expect(report.problems).toEqual([]);
    expect(report).toMatchObject({ ok: true, entries: 40 });
    expect(yaml).toContain('note: cites the wrong manual');
    expect(seen.errors).toEqual([]);
  });

  it('reviews the traces a filter of the traces table shows, without a queue file', async () => {
    const { info } = site;
    await page.goto(`${site.url}experiments/${info.experiments.qa}/runs/${info.runs.baseline}/#traces`);
    await page.locator('#traces-table tr.row').first().waitFor();
    await page.locator('#trace-status').selectOption('error');
    await expect(page.locator('#trace-review').textContent()).resolves.toBe('Review these 3');
    await page.locator('#trace-review').click();
    await page.waitForURL(/\/review\/\?status=error$/);
    await page.locator('#queue-summary').waitFor();
    await expect(page.locator('#queue-summary').textContent()).resolves.toMatch(/^3 traces/);
    await page.locator('#queue-reviewer').fill('Ada Lovelace');
    await page.locator('#queue-start').click();
    await page.waitForFunction(() => /trace 1 of 3/.test(document.querySelector('#review-status')?.textContent ?? ''));
    expect(new URL(page.url()).searchParams.get('status')).toBe('error');
    for (let i = 0; i < 3; i++) {
      await page.waitForFunction((n) => document.querySelector('#review-status')?.textContent?.includes(`trace ${n} of 3`), i + 1);
      await page.keyboard.press('3');
      await page.keyboard.press('m');
      await page.keyboard.type('0');
      await page.keyboard.press('Enter');
      await page.keyboard.press('j');
    }
    await expect(page.locator('#review-count').textContent()).resolves.toBe('6 annotations on 3 of 3 traces.');
    const yaml = (await page.locator('#review-yaml').textContent())!;
    expect(yaml.match(/value: hallucination/g)).toHaveLength(3);
    expect(seen.errors).toEqual([]);
  });

  it('collects the names an experiment’s annotations already use when experiment.yaml declares none', async () => {
    const { info } = site;
    // xss-lab declares no annotation rules; hostile.yaml uses "label x" (a label) and "score" (a metric).
    await page.goto(`${site.url}experiments/${info.experiments.xss}/runs/${info.runs.xss}/review/`);
    await page.locator('#queue-summary').waitFor();
    await page.locator('#queue-reviewer').fill('Ada Lovelace');
    await page.locator('#queue-start').click();
    await page.locator('.review-field legend').first().waitFor();
    await expect(page.locator('.review-field legend').allTextContents()).resolves.toEqual(['label x']);
    await expect(page.locator('input.review-metric').getAttribute('data-name')).resolves.toBe('score');
    expect(await page.locator('#queue-nothing').count()).toBe(0);
    expect(seen.errors).toEqual([]);
  });
});
