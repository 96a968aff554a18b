import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { XSS } from './fixtures/make-fixture.ts';
import { type FixtureSite, fixtureSite, launchChromium, watchPage } from './helpers/fixture-site.ts';

/**
 * The fixture's xss-lab experiment puts script tags, event-handler attributes, javascript:
 * URLs and 10,000-character unbroken strings in every field the site shows. Each would set
 * window.__xss if it ran. Nothing may run, no such markup may reach the DOM, and the layout
 * must not grow wider than the window. The pages' Content-Security-Policy would block inline
 * handlers anyway, so it is bypassed here: escaping must hold on its own.
 */
describe('hostile trace data stays data', () => {
  let site: FixtureSite;
  let browser: Browser;

  beforeAll(async () => {
    site = await fixtureSite();
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await site?.server.close();
  });

  async function audit(page: Page) {
    return page.evaluate(() => {
      const handlers: string[] = [];
      for (const el of document.querySelectorAll('*')) {
        for (const attr of el.getAttributeNames()) if (attr.toLowerCase().startsWith('on')) handlers.push(`${el.tagName} ${attr}`);
      }
      return {
        xss: (window as { __xss?: string }).__xss ?? null,
        handlers,
        jsLinks: [...document.querySelectorAll('[href], [src], [action], [formaction]')]
          .map(
            (el) => el.getAttribute('href') ?? el.getAttribute('src') ?? el.getAttribute('action') ?? el.getAttribute('formaction') ?? '',
          )
          .filter((url) => /^\s*(javascript|data|vbscript):/i.test(url)),
        inlineScripts: [...document.querySelectorAll('script')].filter((s) => !s.src).length,
        images: [...document.querySelectorAll('img')].filter((img) => !img.closest('.brand')).length,
        styles: [...document.querySelectorAll('style')].filter((s) => s.textContent?.includes('display:none')).length,
        width: document.documentElement.scrollWidth,
        viewport: window.innerWidth,
      };
    });
  }

  async function visit(page: Page, path: string, ready: string) {
    await page.goto(`${site.url}${path}`);
    await page.locator(ready).first().waitFor();
    await page.waitForTimeout(100);
  }

  for (const width of [1280, 390]) {
    it(`renders every page type with the corpus and runs nothing (${width}px wide)`, async () => {
      const { info } = site;
      const page = await browser.newPage({ viewport: { width, height: 900 }, bypassCSP: true });
      const seen = watchPage(page, site.url);
      const run = `experiments/${info.experiments.xss}/runs/${info.runs.xss}/`;
      const results: { path: string; audit: Awaited<ReturnType<typeof audit>> }[] = [];
      const check = async (path: string, ready: string) => {
        await visit(page, path, ready);
        results.push({ path, audit: await audit(page) });
      };

      await check('', '.card');
      // The deployment record's actor, reason, check names and a javascript: workflow URL.
      await check(`experiments/${info.experiments.xss}/`, '#deployments');
      await expect(page.locator('#deployments').textContent()).resolves.toContain(XSS.img);
      // Annotation authors, labels and notes in the summary; the deploy section.
      await check(run, '#annotation-summary');
      // The code evaluator (named like an attribute injection) beside the people's `score`.
      await expect(page.locator('#judges-table').textContent()).resolves.toContain(XSS.attr);
      await expect(page.locator('h1').textContent()).resolves.toBe(`${XSS.script}${XSS.img}`);
      await expect(page.locator('pre[aria-label="config YAML"]').textContent()).resolves.toContain('<script>');
      await check(`${run}#traces`, '#traces-table tr.row');
      const index = JSON.parse(
        await (await page.request.get(`${site.url}data/${info.experiments.xss}/${info.runs.xss}/index.json`)).text(),
      ) as { ids: string[] };
      for (const id of index.ids) {
        await check(`${run}trace/?id=${encodeURIComponent(id)}`, '[role="treeitem"]');
        await page.locator('#trace-annotations :is(.annotations-table, p.muted)').waitFor();
        for (const item of await page.locator('[role="treeitem"]').all()) {
          await item.click();
          await page.locator('section[aria-label="Selected span"] details summary').click();
        }
        results.push({ path: `${id} (every span, raw JSON open)`, audit: await audit(page) });
      }
      // The hostile judge's name in the trace view's "judge … disagrees" mark, as text.
      await check(`${run}trace/?id=${encodeURIComponent(`xss-0-${XSS.script}`)}`, '#trace-annotations [data-judge-dispute]');
      await expect(page.locator('#trace-annotations [data-judge-dispute]').textContent()).resolves.toBe(`judge ${XSS.attr} disagrees`);
      // Hostile authors, notes and labels on the trace view, and in the form that proposes one more.
      await check(`${run}trace/?id=xss-1-x`, '#trace-annotations .annotations-table');
      await expect(page.locator('#trace-annotations').textContent()).resolves.toContain(XSS.script);
      await page.locator('#annotate-open').click();
      await page.locator('#annotate-dialog[open]').waitFor();
      await page.locator('#annotate-name').fill('label x');
      await page.locator('#annotate-value').fill(XSS.svg);
      await page.locator('#annotate-note').fill(`${XSS.script}${XSS.attr}`);
      await page.locator('#annotate-author').fill(XSS.img);
      await expect(page.locator('#annotate-yaml').textContent()).resolves.toContain('onerror');
      results.push({ path: 'annotate form', audit: await audit(page) });
      await page.keyboard.press('Escape');
      await check(`compare/?runs=${info.runs.xss},${info.runs.baseline}`, 'tr.row');
      await page.locator('#compare-annotations').waitFor();
      await page.waitForFunction(() => document.body.dataset.compareReady === 'charts');
      await page.locator('tr.row').first().click();
      await page.locator('#cmp-detail .panel').first().waitFor();
      results.push({ path: 'compare detail', audit: await audit(page) });

      for (const { path, audit: a } of results) {
        expect({
          path,
          xss: a.xss,
          handlers: a.handlers,
          jsLinks: a.jsLinks,
          inlineScripts: a.inlineScripts,
          images: a.images,
          styles: a.styles,
        }).toEqual({
          path,
          xss: null,
          handlers: [],
          jsLinks: [],
          inlineScripts: 0,
          images: 0,
          styles: 0,
        });
        expect(a.width, `${path} is ${a.width}px wide in a ${a.viewport}px window`).toBeLessThanOrEqual(a.viewport);
      }
      expect(seen.dialogs).toEqual([]);
      expect(seen.errors).toEqual([]);
      expect(seen.external).toEqual([]);
      await page.close();
    });
  }

  it('every page also forbids inline scripts by Content-Security-Policy', async () => {
    const page = await browser.newPage();
    const { info } = site;
    for (const path of [
      '',
      `experiments/${info.experiments.xss}/`,
      `experiments/${info.experiments.xss}/runs/${info.runs.xss}/`,
      `experiments/${info.experiments.xss}/runs/${info.runs.xss}/trace/`,
      'compare/',
      '404.html',
    ]) {
      await page.goto(`${site.url}${path}`);
      const csp = await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content');
      const scriptSrc = csp!
        .split(';')
        .map((d) => d.trim())
        .find((d) => d.startsWith('script-src'));
      expect(scriptSrc).toMatch(/^script-src 'self'( 'unsafe-eval')?$/);
      expect(csp).toContain("object-src 'none'");
    }
    await page.close();
  });

  it('turns a javascript: value into text, not a link', async () => {
    const page = await browser.newPage({ bypassCSP: true });
    const { info } = site;
    await visit(page, `experiments/${info.experiments.xss}/runs/${info.runs.xss}/trace/?id=xss-1-x`, '[role="treeitem"]');
    await expect(page.locator('body').textContent()).resolves.toContain(XSS.href);
    expect(await page.locator('a[href*="javascript"]').count()).toBe(0);
    await page.close();
  });
});
