import type { RunRows } from '#site/view/run-rows.ts';
import { RowsAccumulator, type RunRowsPage } from '#site/view/run-rows-pages.ts';
import { fetchGzipJsonOnce } from './fetch-gzip-json.ts';

const whole = new Map<string, Promise<RunRows>>();

/**
 * Loads a run's traces table page by page from its first page's site-relative path (the pages'
 * `data-rows`). `onPage` sees the rows after each page, the first one as soon as it arrives, so a
 * table can show them while the rest load; the later pages are fetched at once and joined in
 * order. Resolves with every row.
 */
export async function loadRunRows(firstPage: string, onPage?: (rows: RowsAccumulator) => void): Promise<RunRows> {
  const accumulator = new RowsAccumulator(await fetchGzipJsonOnce<RunRowsPage>(firstPage), firstPage);
  onPage?.(accumulator);
  const folder = firstPage.slice(0, firstPage.lastIndexOf('/') + 1);
  const pending = accumulator.remaining.map((ref) => {
    const path = `${folder}${ref.file}`;
    const page = fetchGzipJsonOnce<RunRowsPage>(path);
    page.catch(() => undefined); // awaited in order below; a later page's failure must not go unhandled meanwhile
    return { path, page };
  });
  for (const { path, page } of pending) {
    accumulator.add(await page, path);
    onPage?.(accumulator);
  }
  return accumulator.rows;
}

/** Every row of a run, loaded once per page however many readers ask (search, compare, review). */
export function fetchRunRows(firstPage: string): Promise<RunRows> {
  let pending = whole.get(firstPage);
  if (!pending) {
    pending = loadRunRows(firstPage);
    pending.catch(() => whole.delete(firstPage));
    whole.set(firstPage, pending);
  }
  return pending;
}
