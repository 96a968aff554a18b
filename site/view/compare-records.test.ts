import { describe, expect, it } from 'vitest';
import type { Trace } from '#schemas/trace.ts';
import { canonicalJson } from '#lib/json/canonical-json.ts';
import { compareRecordsFromTraces } from '#lib/compare/compare-record.ts';
import { compareRecordsFromRows } from './compare-records.ts';
import { RunRowsBuilder } from './run-rows.ts';

const trace = (i: number, extra: Partial<Trace> = {}): Trace => ({
  id: `t${i}`,
  exampleId: `e${i % 3}`,
  input: { question: `q${i % 3}`, lang: 'en' },
  output: i % 2 ? `answer ${i}` : { text: `answer ${i}`, cited: [1, 2] },
  status: i === 4 ? 'error' : 'ok',
  start: 0,
  end: 10 * i,
  durationMs: 10 * i,
  spans:
    i === 0
      ? []
      : [
          {
            id: 'a',
            parentId: null,
            name: 'llm',
            type: 'LLM',
            start: 0,
            end: 1,
            status: 'ok',
            usage: { input: i, output: 2 * i },
            cost: { total: i / 1000 },
          },
          { id: 'b', parentId: 'a', name: 'llm2', type: 'LLM', start: 0, end: 1, status: 'ok', usage: { input: 1, output: 1, total: 5 } },
        ],
  scores: [
    { name: 'correct', value: i % 2 === 0, source: 'code' },
    { name: 'quality', value: i / 10, source: 'llm_judge' },
    { name: 'tone', value: i % 2 ? 'polite' : 'curt', source: 'llm_judge' },
    ...(i === 3 ? [{ name: 'quality', value: null, source: 'llm_judge' as const, error: 'judge timed out' }] : []),
  ],
  tags: [],
  ...extra,
});

describe('compareRecordsFromRows', () => {
  const traces = Array.from({ length: 6 }, (_, i) => trace(i));
  const builder = new RunRowsBuilder('exp', 'run', (v) => canonicalJson(v ?? null), { kinds: { correct: 'boolean' } });
  for (const t of traces) builder.add(t);
  const fromRows = compareRecordsFromRows(builder.finish());
  const fromTraces = compareRecordsFromTraces(traces);

  it('reads from the table rows what the CLI reads from the traces', () => {
    // The engine reads the first score of a name (a repeated name is one column in the rows).
    const firstOfEach = (scores: (typeof fromRows)[number]['scores']) =>
      Object.fromEntries([...scores].reverse().map((s) => [s.name, s.value]));
    const comparable = ({ id, exampleId, status, durationMs, tokens, cost, scores }: (typeof fromRows)[number]) => ({
      id,
      exampleId,
      status,
      durationMs,
      tokens,
      cost,
      scores: firstOfEach(scores),
    });
    expect(fromRows.map(comparable)).toEqual(fromTraces.map(comparable));
    expect(fromRows[0]).toMatchObject({ tokens: null, cost: null });
    expect(fromRows[2]).toMatchObject({ tokens: 6 + 5, cost: 0.002 });
  });

  it('keys inputs and outputs on the rows’ digests: equal values, equal keys', () => {
    for (let a = 0; a < traces.length; a++) {
      for (let b = 0; b < traces.length; b++) {
        expect(fromRows[a]!.inputKey === fromRows[b]!.inputKey).toBe(fromTraces[a]!.inputKey === fromTraces[b]!.inputKey);
        expect(fromRows[a]!.outputKey === fromRows[b]!.outputKey).toBe(fromTraces[a]!.outputKey === fromTraces[b]!.outputKey);
      }
    }
    // Nothing of the full output reaches the engine from rows.
    expect(fromRows.every((r) => r.output === undefined)).toBe(true);
  });

  it("carries the rows' trial and cluster columns, a cluster value only at the key the rows were read at", () => {
    const rows = builder.finish();
    rows.trial = traces.map((_, i) => (i === 5 ? null : i % 2));
    rows.cluster = { key: 'metadata.doc', values: traces.map((_, i) => (i === 1 ? null : JSON.stringify({ doc: `d${i % 2}` }))) };
    const read = compareRecordsFromRows(rows, 'metadata.doc');
    expect(read.map((r) => r.trial)).toEqual([0, 1, 0, 1, 0, undefined]);
    expect(read.map((r) => r.cluster)).toEqual([{ doc: 'd0' }, undefined, { doc: 'd0' }, { doc: 'd1' }, { doc: 'd0' }, { doc: 'd1' }]);
    // Another key (a plan's, unknown when the site was built) or none: the rows hold no value for it.
    expect(compareRecordsFromRows(rows, 'metadata.topic').every((r) => r.cluster === undefined)).toBe(true);
    expect(compareRecordsFromRows(rows).every((r) => r.cluster === undefined)).toBe(true);
  });
});
