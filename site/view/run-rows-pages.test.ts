import { describe, expect, it } from 'vitest';
import type { Trace } from '#schemas/trace.ts';
import { canonicalJson } from '#lib/json/canonical-json.ts';
import { type RowAnnotations, RunRowsBuilder } from './run-rows.ts';
import { joinRowsPages, RowsAccumulator, rowsPageBounds, splitRowsIntoPages } from './run-rows-pages.ts';
import { EMPTY_QUERY, queryRows } from './table-query.ts';

const trace = (i: number): Trace => ({
  id: `t${i}`,
  exampleId: `e${i % 7}`,
  input: { question: `question ${i}` },
  output: `answer ${i}`,
  status: i % 11 === 0 ? 'error' : 'ok',
  start: 0,
  end: i,
  durationMs: (i * 37) % 101,
  spans: [
    {
      id: 's',
      parentId: null,
      name: 'llm',
      type: 'LLM',
      start: 0,
      end: 1,
      status: 'ok',
      model: i % 2 ? 'small' : 'large',
      usage: { input: i, output: 1 },
    },
  ],
  // A score first seen at row 30 (earlier rows null) and a label column.
  scores: [
    { name: 'f1', value: (i % 10) / 10, source: 'code' },
    ...(i >= 30 ? [{ name: 'late', value: i % 3 === 0, source: 'code' as const }] : []),
    { name: 'tone', value: i % 4 ? 'polite' : `curt ${i}`, source: 'llm_judge' },
  ],
  metadata: { document: `doc-${i % 5}` },
  tags: i % 5 ? [] : ['flaky'],
  ...(i % 3 === 0 ? { trial: i % 2 } : {}),
});

const annotations: RowAnnotations = {
  columns: [{ name: 'verdict', kind: 'label', direction: null }],
  get: (id) => (Number(id.slice(1)) % 9 === 0 ? new Map([['verdict', 'approved']]) : undefined),
  disagreements: new Set(['t4', 't45', 't46', 't99']),
};

function runRows(count: number) {
  const builder = new RunRowsBuilder('exp', 'run', (v) => canonicalJson(v ?? null), { kinds: { late: 'boolean' } }, annotations);
  for (let i = 0; i < count; i++) builder.add(trace(i));
  const rows = builder.finish();
  rows.cluster = { key: 'metadata.document', values: Array.from({ length: count }, (_, i) => JSON.stringify(`doc-${i % 5}`)) };
  rows.trial = Array.from({ length: count }, (_, i) => (i % 3 === 0 ? i % 2 : null));
  return rows;
}

/** Through JSON, as the files and the browser see the pages. */
const viaJson = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

describe('rows pages', () => {
  it('bounds: a small first page, then fixed-size ones, covering every row once', () => {
    expect(rowsPageBounds(0)).toEqual([[0, 0]]);
    expect(rowsPageBounds(250)).toEqual([[0, 250]]);
    expect(rowsPageBounds(251)).toEqual([
      [0, 250],
      [250, 1],
    ]);
    expect(rowsPageBounds(100_000).length).toBe(21);
    expect(rowsPageBounds(10_250, 250, 5_000)).toEqual([
      [0, 250],
      [250, 5_000],
      [5_250, 5_000],
    ]);
    expect(() => rowsPageBounds(10, 0, 5)).toThrow(/page sizes must be positive/);
  });

  it('split and joined again gives the rows back exactly, every column included', () => {
    const rows = runRows(107);
    const pages = viaJson(splitRowsIntoPages(rows, (k) => `rows-${k}.json.gz`, { first: 10, later: 40 }));
    expect(pages.map((p) => [p.start, p.rows.count])).toEqual([
      [0, 10],
      [10, 40],
      [50, 40],
      [90, 17],
    ]);
    expect(pages[0]!.total).toBe(107);
    expect(pages[0]!.pages!.map((p) => p.file)).toEqual(['rows-0.json.gz', 'rows-1.json.gz', 'rows-2.json.gz', 'rows-3.json.gz']);
    // Run-wide fields travel once, on the first page; disagreements are counted within their page.
    expect(pages[1]!.rows.facetNames).toBeUndefined();
    expect(pages[1]!.rows.disagreements).toEqual([35, 36]);
    expect(joinRowsPages(pages)).toEqual(viaJson(rows));
  });

  it('judge–people disagreements are row numbers too: each page keeps its own, and they join back', () => {
    const rows = { ...runRows(107), judgeDisagreements: [3, 12, 49, 50, 106] };
    const pages = viaJson(splitRowsIntoPages(rows, (k) => `rows-${k}.json.gz`, { first: 10, later: 40 }));
    expect(pages.map((p) => p.rows.judgeDisagreements)).toEqual([[3], [2, 39], [0], [16]]);
    // Joining grows the first page's rows in place.
    const joined = joinRowsPages(pages);
    expect(joined.judgeDisagreements).toEqual([3, 12, 49, 50, 106]);
    expect([...queryRows(joined, { ...EMPTY_QUERY, judgeDisagreements: true })]).toEqual([3, 12, 49, 50, 106]);
  });

  it('an empty run is one empty page', () => {
    const rows = runRows(0);
    expect(joinRowsPages(viaJson(splitRowsIntoPages(rows, (k) => `p${k}`)))).toEqual(viaJson(rows));
  });

  it('the accumulator grows one rows object in place, and a query over it matches the query over all rows once complete', () => {
    const rows = runRows(300);
    const pages = viaJson(splitRowsIntoPages(rows, (k) => `p${k}`, { first: 25, later: 100 }));
    const query = {
      text: 'answer',
      status: 'ok' as const,
      filters: [{ key: 'score:late', op: '=' as const, value: 1 }],
      spans: ['model:small'],
      disagreements: false,
      sort: { key: 'latency', dir: 'desc' as const },
    };
    const accumulator = new RowsAccumulator(pages[0]!);
    const same = accumulator.rows;
    const ids = same.id;
    // Before the later pages: the score first seen at row 30 is a column already (all null so far), and nothing matches it.
    expect(accumulator.loaded).toBe(25);
    expect(accumulator.complete).toBe(false);
    expect(queryRows(accumulator.rows, query)).toHaveLength(0);
    for (const page of pages.slice(1)) accumulator.add(page);
    expect(accumulator.complete).toBe(true);
    expect(accumulator.rows).toBe(same);
    expect(accumulator.rows.id).toBe(ids);
    expect(accumulator.loaded).toBe(300);
    const all = [...queryRows(viaJson(rows), query)];
    expect(all.length).toBeGreaterThan(5);
    expect([...queryRows(accumulator.rows, query)]).toEqual(all);
    expect([
      ...queryRows(accumulator.rows, { ...query, filters: [], spans: [], text: '', status: 'all', disagreements: true, sort: null }),
    ]).toEqual([4, 45, 46, 99]);
  });

  it('pages out of order, of another format or from another layout are refused with the file named', () => {
    const pages = viaJson(splitRowsIntoPages(runRows(60), (k) => `p${k}`, { first: 10, later: 20 }));
    const accumulator = new RowsAccumulator(pages[0]!, 'data/exp/run/rows-0.json.gz');
    expect(() => accumulator.add(pages[2]!, 'data/exp/run/rows-2.json.gz')).toThrow(
      'data/exp/run/rows-2.json.gz is not page 1 (rows 10–29) of format 2',
    );
    expect(accumulator.loaded).toBe(10);
    expect(() => new RowsAccumulator(pages[1]!, 'data/exp/run/rows-1.json.gz')).toThrow(
      /^data\/exp\/run\/rows-1\.json\.gz is not a first rows page of format 2/,
    );
    // The single rows.json of earlier sites.
    expect(() => new RowsAccumulator(viaJson(runRows(3)) as never, 'data/exp/run/rows.json')).toThrow(/rebuild the site/);
    expect(() => joinRowsPages(pages.slice(0, 2))).toThrow('rows pages: 2 of 4 given');
  });
});
