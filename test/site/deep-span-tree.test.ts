import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deepFixtureSite, launchChromium, watchPage } from './helpers/fixture-site.ts';

type Site = Awaited<ReturnType<typeof deepFixtureSite>>;

interface Box {
  left: number;
  right: number;
}
interface RowLayout {
  level: number;
  cell: Box;
  /** The parts of the name cell left to right (depth mark, twisty, type, name), then the duration. */
  parts: { part: string; box: Box }[];
  title: string | null;
  mark: string | null;
}

/** The boxes of every span row the virtualized tree has drawn. */
function rowLayouts(page: Page): Promise<RowLayout[]> {
  return page.evaluate(() => {
    const box = (e: Element) => {
      const r = e.getBoundingClientRect();
      return { left: r.left, right: r.right };
    };
    return [...document.querySelectorAll('[role="treeitem"]')].map((row) => {
      const cell = row.querySelector('.tree-name')!;
      const parts = ['.depth', '.twisty', '.type', '.label']
        .map((part) => ({ part, element: cell.querySelector(part) }))
        .filter((p) => p.element !== null)
        .map((p) => ({ part: p.part, box: box(p.element!) }));
      parts.push({ part: '.tree-dur', box: box(row.querySelector('.tree-dur')!) });
      return {
        level: Number(row.getAttribute('aria-level')),
        cell: box(cell),
        parts,
        title: cell.querySelector('.label')!.getAttribute('title'),
        mark: cell.querySelector('.depth')?.textContent ?? null,
      };
    });
  });
}

describe('a 60-level span chain stays readable at 1,366 px and at 390 px', () => {
  let site: Site;
  let browser: Browser;

  beforeAll(async () => {
    site = await deepFixtureSite();
    browser = await launchChromium();
  }, 300_000);
  afterAll(async () => {
    await browser?.close();
    await site?.server.close();
  });

  for (const [width, height] of [
    [1366, 900],
    [390, 844],
  ] as const) {
    it(`keeps each row's mark, type, name and duration apart, the full name in its title, at ${width} px`, async () => {
      const page = await browser.newPage({ viewport: { width, height } });
      const seen = watchPage(page, site.url);
      const { info } = site;
      await page.goto(`${site.url}experiments/${info.experiment}/runs/${info.run}/trace/?id=${info.trace}`);
      const tree = page.locator('[role="tree"]');
      await tree.waitFor();
      await expect(tree.getAttribute('aria-label')).resolves.toBe(`Span tree, ${info.levels} spans`);
      await page.locator('[role="treeitem"]').first().waitFor();
      // Let the tree measure its name column and draw at the indentation it allows.
      await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
      const byLevel = new Map<number, RowLayout>();
      for (const row of await rowLayouts(page)) byLevel.set(row.level, row);
      // The keyboard reaches the deepest span, which keeps its true level for a screen reader.
      await tree.focus();
      await page.keyboard.press('End');
      const last = page.locator('[role="treeitem"][aria-selected="true"]');
      await expect(last.getAttribute('aria-level')).resolves.toBe(String(info.levels));
      await expect(page.locator('section[aria-label="Selected span"] h2').textContent()).resolves.toBe(info.spanNames.at(-1));
      await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
      for (const row of await rowLayouts(page)) byLevel.set(row.level, row);

      expect([...byLevel.keys()].sort((a, b) => a - b)).toEqual(Array.from({ length: info.levels }, (_, i) => i + 1));
      const overlaps: string[] = [];
      const unreadable: string[] = [];
      const untitled: string[] = [];
      for (const row of byLevel.values()) {
        for (let i = 1; i < row.parts.length; i++) {
          const [before, after] = [row.parts[i - 1]!, row.parts[i]!];
          if (before.box.right > after.box.left + 0.5) overlaps.push(`level ${row.level}: ${before.part} runs into ${after.part}`);
        }
        // The name stays in its cell, wide enough to read a few words of it.
        const name = row.parts.find((p) => p.part === '.label')!.box;
        if (name.right > row.cell.right + 0.5 || name.right - name.left < 48)
          unreadable.push(`level ${row.level}: ${Math.round(name.right - name.left)} px`);
        if (row.title !== info.spanNames[row.level - 1]) untitled.push(`level ${row.level}: ${row.title}`);
        if (row.mark !== null) expect(row.mark, `level ${row.level}`).toBe(`┄${row.level - 1}┄`);
      }
      expect(overlaps).toEqual([]);
      expect(unreadable).toEqual([]);
      expect(untitled).toEqual([]);
      // Past the indented levels the depth is written, not drawn.
      expect(byLevel.get(info.levels)!.mark).toBe(`┄${info.levels - 1}┄`);
      expect(seen.errors).toEqual([]);
      await page.close();
    });
  }
});
