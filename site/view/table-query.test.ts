import { describe, expect, it } from 'vitest';
import { RunRowsBuilder, chunkOfRow, type RowAnnotations } from './run-rows.ts';
import { EMPTY_QUERY, queryFromParams, queryRows, queryToParams, type TableQuery } from './table-query.ts';
import type { TraceInput } from '../../schemas/trace.ts';
import { traceSchema } from '../../schemas/trace.ts';

/** Annotations named like a score (`label`) must stay a column of their own. */
const annotations: RowAnnotations = {
  columns: [
    { name: 'label', kind: 'label', direction: null },
    { name: 'reviewer', kind: 'number', direction: 'lower' },
  ],
  get: (id) =>
    ({
      t1: new Map<string, number | string>([
        ['label', 'approved'],
        ['reviewer', 0.25],
      ]),
      t3: new Map<string, number | string>([['label', 'hallucination']]),
    })[id],
  disagreements: new Set(['t3']),
};

function rows() {
  const builder = new RunRowsBuilder('exp', 'run', (v) => JSON.stringify(v ?? null), { kinds: { correct: 'boolean' } }, annotations);
  const traces: TraceInput[] = [
    {
      id: 't1',
      exampleId: 'e1',
      input: 'What is love?',
      output: 'Baby don’t hurt me',
      start: 0,
      end: 30,
      durationMs: 30,
      scores: [
        { name: 'correct', value: true },
        { name: 'f1', value: 0.9 },
        { name: 'label', value: 'good' },
      ],
    },
    {
      id: 't2',
      exampleId: 'e2',
      input: 'Capital of France',
      output: 'Paris',
      start: 0,
      end: 10,
      durationMs: 10,
      status: 'error',
      error: 'boom',
      scores: [
        { name: 'correct', value: false },
        { name: 'f1', value: 0.2, error: 'judge failed' },
      ],
    },
    {
      id: 't3',
      exampleId: 'e3',
      input: { q: 'Largest planet' },
      output: 'Jupiter',
      start: 0,
      end: 20,
      durationMs: 20,
      scores: [
        { name: 'f1', value: 0.5 },
        { name: 'f1', value: 0.1 },
        { name: 'label', value: 'bad' },
      ],
    },
  ];
  for (const t of traces) builder.add(traceSchema.parse(t));
  return builder.finish();
}

describe('RunRowsBuilder', () => {
  it('keeps one column per score, nulls where missing or failed, the first value of a repeated name', () => {
    const r = rows();
    const byName = Object.fromEntries(r.scores.map((c) => [c.name, c]));
    expect(byName.correct).toMatchObject({ key: 'score:correct', kind: 'boolean', values: [1, 0, null] });
    expect(byName.f1!.values).toEqual([0.9, null, 0.5]);
    expect(r.scores.find((c) => c.key === 'score:label')).toMatchObject({ kind: 'label', direction: null, values: ['good', null, 'bad'] });
    // Annotation columns come after the scores, keyed apart from a score of the same name.
    expect(r.scores.map((c) => c.key)).toEqual(['score:correct', 'score:f1', 'score:label', 'annotation:label', 'annotation:reviewer']);
    expect(r.scores.find((c) => c.key === 'annotation:label')).toMatchObject({
      source: 'annotation',
      kind: 'label',
      values: ['approved', null, 'hallucination'],
    });
    expect(r.scores.find((c) => c.key === 'annotation:reviewer')).toMatchObject({
      source: 'annotation',
      kind: 'number',
      direction: 'lower',
      values: [0.25, null, null],
    });
    expect(r.disagreements).toEqual([2]);
    expect(r.input[2]).toBe('Largest planet');
    expect(r.status).toEqual([0, 1, 0]);
    expect(r.error[1]).toBe('boom');
    for (const key of [
      'id',
      'example',
      'input',
      'output',
      'error',
      'status',
      'latency',
      'tokens',
      'cost',
      'spans',
      'tags',
      'inputHash',
      'outputHash',
    ] as const) {
      expect([key, r[key].length]).toEqual([key, 3]);
    }
  });

  it('finds the chunk of a row', () => {
    expect([0, 4, 5, 9, 10, 99].map((row) => chunkOfRow([0, 5, 10], row))).toEqual([0, 0, 1, 1, 2, 2]);
  });
});

describe('queryRows', () => {
  const q = (patch: Partial<TableQuery>) => Array.from(queryRows(rows(), { ...EMPTY_QUERY, ...patch }));

  it('filters by status, words (all must match, any field) and scores', () => {
    expect(q({ status: 'error' })).toEqual([1]);
    expect(q({ status: 'ok' })).toEqual([0, 2]);
    expect(q({ text: 'PARIS capital' })).toEqual([1]);
    expect(q({ text: 'boom' })).toEqual([1]);
    expect(q({ filters: [{ key: 'score:f1', op: '>=', value: 0.5 }] })).toEqual([0, 2]);
    expect(q({ filters: [{ key: 'score:f1', op: 'missing', value: null }] })).toEqual([1]);
    expect(q({ filters: [{ key: 'score:correct', op: '=', value: 1 }] })).toEqual([0]);
    expect(q({ filters: [{ key: 'score:label', op: '!=', value: 'good' }] })).toEqual([2]);
    expect(q({ filters: [{ key: 'score:unknown', op: '=', value: 1 }] })).toEqual([0, 1, 2]);
  });

  it('filters by annotation labels and to the traces annotators disagree on', () => {
    expect(q({ filters: [{ key: 'annotation:label', op: '=', value: 'approved' }] })).toEqual([0]);
    expect(q({ filters: [{ key: 'annotation:label', op: 'missing', value: null }] })).toEqual([1]);
    expect(q({ disagreements: true })).toEqual([2]);
    expect(q({ disagreements: true, status: 'error' })).toEqual([]);
    expect(q({ sort: { key: 'annotation:reviewer', dir: 'asc' } })).toEqual([0, 1, 2]);
  });

  it('filters to the traces where a judge and the people disagree; rows without the list have none', () => {
    const judged = { ...rows(), judgeDisagreements: [0, 2] };
    expect(Array.from(queryRows(judged, { ...EMPTY_QUERY, judgeDisagreements: true }))).toEqual([0, 2]);
    expect(Array.from(queryRows(judged, { ...EMPTY_QUERY, judgeDisagreements: true, disagreements: true }))).toEqual([2]);
    expect(q({ judgeDisagreements: true })).toEqual([]);
  });

  it('sorts any column both ways with missing values last and ties in file order', () => {
    expect(q({ sort: { key: 'latency', dir: 'asc' } })).toEqual([1, 2, 0]);
    expect(q({ sort: { key: 'latency', dir: 'desc' } })).toEqual([0, 2, 1]);
    expect(q({ sort: { key: 'score:f1', dir: 'asc' } })).toEqual([2, 0, 1]);
    expect(q({ sort: { key: 'score:f1', dir: 'desc' } })).toEqual([0, 2, 1]);
    expect(q({ sort: { key: 'tokens', dir: 'asc' } })).toEqual([0, 1, 2]);
  });

  it('round-trips through URL parameters and ignores broken ones', () => {
    const query: TableQuery = {
      text: 'a b',
      status: 'error',
      filters: [
        { key: 'score:x y', op: '>=', value: 0.5 },
        { key: 'annotation:l', op: '=', value: 'a&b=c' },
      ],
      disagreements: true,
      judgeDisagreements: true,
      spans: ['type:TOOL', 'attr:tool.kind=web & search'],
      sort: { key: 'score:f1', dir: 'desc' },
    };
    expect(queryFromParams(new URLSearchParams(queryToParams(query).toString()))).toEqual(query);
    expect(queryToParams(query).get('judge-disagree')).toBe('1');
    expect(queryFromParams(new URLSearchParams('f=%5B&f=["k","drop",1]&status=weird&sort=-&span=bogus'))).toEqual(EMPTY_QUERY);
  });

  it('filters on what the spans are: type, model, tool and short attributes, all of them at once', () => {
    const builder = new RunRowsBuilder('exp', 'run', (v) => JSON.stringify(v ?? null));
    const span = (id: string, type: string, extra: Record<string, unknown> = {}) => ({ id, name: id, type, start: 0, end: 1, ...extra });
    const traces = [
      {
        id: 'a',
        spans: [
          span('root', 'AGENT'),
          span('llm', 'LLM', { parentId: 'root', model: 'gpt-4o', attributes: { temperature: 0.2 } }),
          span('web', 'TOOL', { parentId: 'root', attributes: { 'gen_ai.tool.name': 'search' } }),
        ],
      },
      {
        id: 'b',
        spans: [
          span('root', 'AGENT'),
          span('llm', 'LLM', { parentId: 'root', model: 'gpt-4o-mini', attributes: { prompt: 'x'.repeat(100) } }),
        ],
      },
      { id: 'c', spans: [] },
    ];
    for (const t of traces) builder.add(traceSchema.parse({ exampleId: t.id, input: t.id, start: 0, end: 1, durationMs: 1, ...t }));
    const facetRows = builder.finish();
    expect(facetRows.facetNames).toEqual([
      'type:AGENT',
      'type:LLM',
      'model:gpt-4o',
      'attr:temperature=0.2',
      'type:TOOL',
      'tool:search',
      'attr:gen_ai.tool.name=search',
      'model:gpt-4o-mini',
    ]);
    const shown = (spans: string[]) => [...queryRows(facetRows, { ...EMPTY_QUERY, spans })].map((i) => facetRows.id[i]);
    expect(shown(['type:LLM'])).toEqual(['a', 'b']);
    expect(shown(['model:gpt-4o'])).toEqual(['a']);
    expect(shown(['tool:search', 'type:LLM'])).toEqual(['a']);
    expect(shown(['model:gpt-4o-mini', 'tool:search'])).toEqual([]);
    expect(shown(['attr:temperature=0.2'])).toEqual(['a']);
    expect(shown(['model:never-seen'])).toEqual([]);
    expect(facetRows.facetNames!.some((f) => f.startsWith('attr:prompt='))).toBe(false);
  });
});
