import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeSitePage, type FixtureSite, openSitePage, type PageWatch, watchPage } from './helpers/fixture-site.ts';

/** Tick labels of every chart under `selector`: no e-notation (`8e+2`, `1.2e+3`) anywhere. */
async function tickLabels(page: Page, selector: string): Promise<string[]> {
  return page.locator(`${selector} g[class*="role-axis-label"] text`).allTextContents();
}

/**
 * The accessible description Chromium computes for each element under `selector` (what a screen
 * reader reads after the name), from the accessibility tree.
 */
async function descriptions(page: Page, selector: string): Promise<(string | null)[]> {
  const cdp = await page.context().newCDPSession(page);
  try {
    const { root } = await cdp.send('DOM.getDocument', { depth: 0 });
    const { nodeIds } = await cdp.send('DOM.querySelectorAll', { nodeId: root.nodeId, selector });
    const found: (string | null)[] = [];
    for (const nodeId of nodeIds) {
      const { nodes } = await cdp.send('Accessibility.getPartialAXTree', { nodeId, fetchRelatives: false });
      found.push((nodes[0]?.description?.value as string | undefined) ?? null);
    }
    return found;
  } finally {
    await cdp.detach();
  }
}

/** Each "Data" table under the charts of `selector`, opened: its header and rows of cell texts. */
async function dataTables(page: Page, selector: string): Promise<{ columns: string[]; rows: string[][] }[]> {
  await page
    .locator(`${selector} details.chart-data summary`)
    .evaluateAll((summaries) => summaries.forEach((s) => (s as HTMLElement).click()));
  return page.locator(`${selector} details.chart-data[open] table`).evaluateAll((tables) =>
    tables.map((t) => ({
      columns: [...t.querySelectorAll('thead th')].map((th) => th.textContent!),
      rows: [...t.querySelectorAll('tbody tr')].map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent!)),
    })),
  );
}

describe('charts a person can read', () => {
  let site: FixtureSite, browser: Browser, page: Page, seen: PageWatch;
  beforeAll(async () => ({ site, browser, page, seen } = await openSitePage({ width: 1366, height: 900 })));
  afterAll(() => closeSitePage(site, browser));

  it('draws the experiment trends one series per config, with tooltips naming run, config, date and value, under a CSP without unsafe-eval', async () => {
    // A reader in New York sees the dates the tables print: UTC.
    const context = await browser.newContext({ viewport: { width: 1366, height: 900 }, timezoneId: 'America/New_York' });
    const page = await context.newPage();
    const seen = watchPage(page, site.url);
    await page.goto(`${site.url}experiments/${site.info.experiments.qa}/`);
    const csp = await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content');
    expect(csp).not.toContain('unsafe-eval');
    await page.locator('#trends figure[data-interactive="true"]').first().waitFor();
    const figures = page.locator('#trends figure');
    expect(await figures.count()).toBeGreaterThanOrEqual(2);
    // One legend entry per config: the fixture's two runs have two configs.
    const legend = await page.locator('#trends figure').first().locator('g[class*="role-legend-label"] text').allTextContents();
    expect(new Set(legend).size).toBe(2);
    const labels = await tickLabels(page, '#trends');
    expect(labels.length).toBeGreaterThan(0);
    for (const label of labels) expect(label).not.toMatch(/\de[+-]?\d/i);

    const point = page.locator('#trends figure').first().locator('path[aria-roledescription="point"]').first();
    const box = (await point.boundingBox())!;
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    const tooltip = page.locator('#trends .chart-tooltip');
    await tooltip.waitFor();
    const text = (await tooltip.textContent())!;
    const date = /date \(UTC\): (\d{4}-\d\d-\d\d \d\d:\d\d)/.exec(text)?.[1];
    expect(text).toMatch(/run: .+config: .+/);
    const runs = join(site.info.dataDir, site.info.experiments.qa, 'runs');
    const created = readdirSync(runs).map(
      (id) => (JSON.parse(readFileSync(join(runs, id, 'run.json'), 'utf8')) as { createdAt: string }).createdAt,
    );
    expect(created.map((at) => at.slice(0, 16).replace('T', ' '))).toContain(date);
    expect(seen.errors).toEqual([]);
    await context.close();
  });

  it('draws a visible zero line on every Δ panel of a comparison, and no e-notation on any axis', async () => {
    const { runs } = site.info;
    await page.goto(`${site.url}compare/?runs=${runs.baseline},${runs.candidate}`);
    await page.waitForFunction(() => document.body.dataset.compareReady === 'charts');
    const figures = page.locator('#cmp-charts figure');
    expect(await figures.count()).toBe(2);
    const deltas = figures.nth(1);
    const panels = await deltas.locator('g.mark-group.cell > g').count();
    expect(panels).toBeGreaterThan(1);
    const zeroLines = deltas.locator('line[stroke-dasharray]');
    expect(await zeroLines.count()).toBeGreaterThan(0);
    // Each zero line spans its panel's height (not a zero-length line on one row).
    for (const line of await zeroLines.all()) expect(Number(await line.getAttribute('y2'))).toBeGreaterThan(10);
    expect(await zeroLines.count()).toBe(panels);
    for (const label of await tickLabels(page, '#cmp-charts')) expect(label).not.toMatch(/\de[+-]?\d/i);
    expect(seen.errors).toEqual([]);
  });

  it('gives each trend chart its numbers as text: the description its figure points to, and a Data table under it', async () => {
    await page.goto(`${site.url}experiments/${site.info.experiments.qa}/`);
    await page.locator('#trends figure[data-interactive="true"]').first().waitFor();
    const described = await descriptions(page, '#trends figure');
    expect(described).toHaveLength(4);
    expect(described[0]).toBe(
      'run: baseline, config: baseline, date (UTC): 2026-01-15 09:00, correct: 33.3%; ' +
        'run: candidate, config: candidate, date (UTC): 2026-01-16 09:00, correct: 75.0%',
    );
    expect(described[1]).toContain('latency p50: 912 ms; run: candidate');
    const tables = await dataTables(page, '#trends');
    expect(tables[0]).toEqual({
      columns: ['run', 'config', 'date (UTC)', 'correct'],
      rows: [
        ['baseline', 'baseline', '2026-01-15 09:00', '33.3%'],
        ['candidate', 'candidate', '2026-01-16 09:00', '75.0%'],
      ],
    });
    // One row per point the chart draws, for the same run and date.
    const drawn = await page.locator('#trends figure').evaluateAll((figures) =>
      figures.map((f) =>
        [...f.querySelectorAll('path[aria-roledescription="point"]')].map((p) => {
          const label = p.getAttribute('aria-label')!;
          return [/run: ([^;]+)/.exec(label)![1], /date \(UTC\): ([^;]+)/.exec(label)![1]];
        }),
      ),
    );
    expect(drawn.map((points) => points.sort())).toEqual(tables.map((t) => t.rows.map((r) => [r[0], r[2]]).sort()));
    expect(seen.errors).toEqual([]);
  });

  it('gives each comparison chart its numbers as text: values, intervals and verdicts, the same the chart draws', async () => {
    const { runs } = site.info;
    await page.goto(`${site.url}compare/?runs=${runs.baseline},${runs.candidate}`);
    await page.waitForFunction(() => document.body.dataset.compareReady === 'charts');
    const [means, deltas] = await descriptions(page, '#cmp-charts figure');
    expect(means).toContain('metric: correct, run: A · baseline, value: 0.333, 95% interval: 0.18 to 0.533; ');
    expect(means).toContain('metric: latency (ms), run: B · candidate, value: 812, 95% interval: 809 to 814');
    expect(deltas).toContain('metric: f1, run: B · candidate, value: 0.23, 95% interval: 0.16 to 0.296, verdict: better');
    const tables = await dataTables(page, '#cmp-charts');
    expect(tables.map((t) => t.columns)).toEqual([
      ['metric', 'run', 'value', '95% interval'],
      ['metric', 'run', 'value', '95% interval', 'verdict'],
    ]);
    // Every point drawn has its row: the same run, the same value to the digits the table prints.
    const drawn = await page.locator('#cmp-charts figure').evaluateAll((figures) =>
      figures.map((f) =>
        [...f.querySelectorAll('path[aria-roledescription="point"]')].map((p) => {
          const label = p.getAttribute('aria-label')!;
          return { run: /run: ([^;]+)/.exec(label)![1]!, value: Number(/value: ([^;]+)/.exec(label)![1]!.replace('−', '-')) };
        }),
      ),
    );
    for (const [i, points] of drawn.entries()) {
      const rows = tables[i]!.rows;
      expect(points.length).toBe(rows.length);
      for (const point of points) {
        const near = (text: string) => Math.abs(Number(text) - point.value) <= Math.max(1e-9, Math.abs(point.value) * 0.005);
        expect(
          rows.some((r) => r[1] === point.run && near(r[2]!)),
          `${JSON.stringify(point)} in ${JSON.stringify(rows)}`,
        ).toBe(true);
      }
    }
    expect(seen.errors).toEqual([]);
  });
});
