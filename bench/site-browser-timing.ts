// Times of the site's pages in headless Chromium, from the marks the pages set (ms since
// navigation start), each in a fresh browser context (empty cache), with the floor they are
// measured against: fetching the same bytes alone, in a page of the same origin.
import type { Browser, Page } from 'playwright-core';

export const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

async function markTime(page: Page, name: string, timeout = 120_000): Promise<number> {
  await page.waitForFunction((mark) => performance.getEntriesByName(mark).length > 0, name, { timeout, polling: 10 });
  return page.evaluate((mark) => performance.getEntriesByName(mark)[0]!.startTime, name);
}

/** Opens `url` in a fresh context and reads `marks` (in order); `prepare` may route requests first. */
export async function pageMarks(
  browser: Browser,
  url: string,
  marks: string[],
  prepare?: (page: Page) => Promise<void>,
): Promise<Record<string, number>> {
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  try {
    const page = await context.newPage();
    await prepare?.(page);
    await page.goto(url);
    const times: Record<string, number> = {};
    for (const mark of marks) times[mark] = await markTime(page, mark);
    times.domContentLoaded = await page.evaluate(
      () => (performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming).domContentLoadedEventEnd,
    );
    return times;
  } finally {
    await context.close();
  }
}

/**
 * The floor: ms to fetch `paths` (site-relative, in order, each read to its last byte) from a
 * fresh context, starting from a page of the same origin — what no page showing them can beat.
 */
export async function fetchFloor(browser: Browser, siteUrl: string, paths: string[]): Promise<number> {
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    await page.goto(`${siteUrl}favicon.svg`);
    // No named helpers inside evaluate: tsx's keepNames would reference a __name the page lacks.
    return await page.evaluate(
      async (urls) => {
        const t = performance.now();
        for (const url of urls) await (await fetch(url)).arrayBuffer();
        return performance.now() - t;
      },
      paths.map((p) => `${siteUrl}${p}`),
    );
  } finally {
    await context.close();
  }
}
