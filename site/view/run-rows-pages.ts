import type { RunRows } from './run-rows.ts';

/**
 * The traces table arrives in pages so the run page can show its first rows before the whole
 * table is there (100,000 traces are ~33 MB of rows): a small first page, then larger ones that
 * load in the background. This module owns the page format, both for the writer
 * (site/build/write-run-data.ts) and for the browser, which joins the pages back into one
 * `RunRows` as they arrive.
 */

/** Enough rows to fill a tall screen and scroll a little, small enough to arrive at once. */
const FIRST_PAGE_ROWS = 250;
/** The later pages: few requests for a large run, each parsed in well under a frame budget's worth of jank. */
const LATER_PAGE_ROWS = 5_000;

/** Version of the page format (the single `rows.json` before it was version 1). */
const ROWS_PAGE_VERSION = 2;

interface RowsPageRef {
  /** File name, in the folder of the first page. */
  file: string;
  start: number;
  count: number;
}

/**
 * `data/<experiment>/<run>/rows-<k>.json.gz`: rows `start` … `start + rows.count − 1` of the run,
 * gzip-compressed. `rows.disagreements` and `rows.judgeDisagreements` are indices within the page. The first page also lists
 * every page and carries the run-wide fields (`facetNames`, `facetsTruncated`); later pages leave
 * those out.
 */
export interface RunRowsPage {
  v: typeof ROWS_PAGE_VERSION;
  start: number;
  rows: RunRows;
  /** First page only: the run's row count. */
  total?: number;
  /** First page only: every page in order, this one first. */
  pages?: RowsPageRef[];
}

/**
 * Fields of `RunRows` that describe the run rather than one value per row. Every other array
 * field is a column with one value per row, and is cut into pages — so a column added to
 * `RunRows` later is paged without touching this module.
 */
const RUN_FIELDS = new Set([
  'v',
  'experiment',
  'run',
  'count',
  'scores',
  'disagreements',
  'judgeDisagreements',
  'facetNames',
  'facetsTruncated',
  'cluster',
]);

/** Fields that list row numbers (not one value per row): each page keeps its own, renumbered from 0. */
const ROW_NUMBER_FIELDS = ['disagreements', 'judgeDisagreements'] as const;

/** [start, count] of each page of a run of `total` rows (one empty page for an empty run). */
export function rowsPageBounds(total: number, first = FIRST_PAGE_ROWS, later = LATER_PAGE_ROWS): [number, number][] {
  if (!(first > 0 && later > 0)) throw new Error(`page sizes must be positive (got ${first} and ${later})`);
  const bounds: [number, number][] = [[0, Math.min(total, first)]];
  for (let start = first; start < total; start += later) bounds.push([start, Math.min(later, total - start)]);
  return bounds;
}

/** Cuts a run's finished rows into pages; `fileOf(k)` names page k. */
export function splitRowsIntoPages(
  rows: RunRows,
  fileOf: (k: number) => string,
  sizes: { first?: number; later?: number } = {},
): RunRowsPage[] {
  const bounds = rowsPageBounds(rows.count, sizes.first, sizes.later);
  const refs: RowsPageRef[] = bounds.map(([start, count], k) => ({ file: fileOf(k), start, count }));
  return bounds.map(([start, count], k) => {
    const end = start + count;
    const slice: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(rows)) {
      if (key === 'scores') slice.scores = rows.scores.map((column) => ({ ...column, values: column.values.slice(start, end) }));
      else if ((ROW_NUMBER_FIELDS as readonly string[]).includes(key))
        slice[key] = (value as number[]).filter((i) => i >= start && i < end).map((i) => i - start);
      else if (key === 'cluster') slice.cluster = rows.cluster && { key: rows.cluster.key, values: rows.cluster.values.slice(start, end) };
      else if (key === 'count') slice.count = count;
      else if (key === 'facetNames' || key === 'facetsTruncated') {
        if (k === 0) slice[key] = value;
      } else if (!RUN_FIELDS.has(key) && Array.isArray(value)) slice[key] = value.slice(start, end);
      else slice[key] = value;
    }
    const page: RunRowsPage = { v: ROWS_PAGE_VERSION, start, rows: slice as unknown as RunRows };
    if (k === 0) Object.assign(page, { total: rows.count, pages: refs });
    return page;
  });
}

/**
 * A run's rows as their pages arrive, in order. `rows` is one `RunRows` whose arrays grow in
 * place, so a table that reads `rows.id[r]` sees new rows without being rebuilt; until
 * `complete`, it holds rows 0 … `loaded − 1` of `total`.
 */
export class RowsAccumulator {
  readonly rows: RunRows;
  readonly total: number;
  readonly pages: readonly RowsPageRef[];
  #next = 1;

  constructor(first: RunRowsPage, source = 'the first rows page') {
    if (
      first?.v !== ROWS_PAGE_VERSION ||
      first.start !== 0 ||
      !first.rows ||
      !Array.isArray(first.pages) ||
      typeof first.total !== 'number'
    ) {
      throw new Error(
        `${source} is not a first rows page of format ${ROWS_PAGE_VERSION} (site data from another Labbook version? rebuild the site)`,
      );
    }
    this.rows = first.rows;
    this.rows.disagreements ??= [];
    this.total = first.total;
    this.pages = first.pages;
    if (this.rows.count !== this.pages[0]?.count)
      throw new Error(`${source} holds ${this.rows.count} rows where it says ${this.pages[0]?.count}`);
  }

  get loaded(): number {
    return this.rows.count;
  }

  get complete(): boolean {
    return this.#next >= this.pages.length;
  }

  /** The pages still to fetch, in the order `add` wants them. */
  get remaining(): readonly RowsPageRef[] {
    return this.pages.slice(this.#next);
  }

  /** Appends the next page; pages must come in order (a table's row numbers are positions). */
  add(page: RunRowsPage, source = 'a rows page'): void {
    const ref = this.pages[this.#next];
    if (!ref) throw new Error(`${source}: the run has only ${this.pages.length} rows pages`);
    if (page?.v !== ROWS_PAGE_VERSION || page.start !== ref.start || page.rows?.count !== ref.count) {
      throw new Error(
        `${source} is not page ${this.#next} (rows ${ref.start}–${ref.start + ref.count - 1}) of format ${ROWS_PAGE_VERSION}`,
      );
    }
    const into = this.rows as unknown as Record<string, unknown>;
    for (const [key, value] of Object.entries(page.rows)) {
      if (RUN_FIELDS.has(key) || !Array.isArray(value)) continue;
      const target = (into[key] ??= new Array(this.rows.count).fill(null)) as unknown[];
      append(target, value);
    }
    // A row column the first page lacked (optional ones) must still line up with its rows.
    for (const [key, value] of Object.entries(into)) {
      if (!RUN_FIELDS.has(key) && Array.isArray(value) && value.length < this.rows.count + ref.count)
        append(value, new Array(this.rows.count + ref.count - value.length).fill(null));
    }
    const columns = new Map(page.rows.scores.map((c) => [c.key, c.values]));
    for (const column of this.rows.scores) append(column.values, columns.get(column.key) ?? new Array(ref.count).fill(null));
    if (this.rows.cluster) append(this.rows.cluster.values, page.rows.cluster?.values ?? new Array(ref.count).fill(null));
    for (const key of ROW_NUMBER_FIELDS) {
      const numbers = page.rows[key];
      if (numbers)
        append(
          (this.rows[key] ??= []),
          numbers.map((i) => i + ref.start),
        );
    }
    this.rows.count += ref.count;
    this.#next++;
  }
}

/** Joins a run's pages (all of them, in order) into its rows. */
export function joinRowsPages(pages: readonly RunRowsPage[]): RunRows {
  const [first, ...rest] = pages;
  if (!first) throw new Error('no rows pages');
  const accumulator = new RowsAccumulator(first);
  for (const page of rest) accumulator.add(page);
  if (!accumulator.complete) throw new Error(`rows pages: ${pages.length} of ${accumulator.pages.length} given`);
  return accumulator.rows;
}

/** push(...items) without the argument-count limit a 5,000-row page could hit in some engines. */
function append<T>(target: T[], items: readonly T[]): void {
  for (let i = 0; i < items.length; i++) target.push(items[i]!);
}
