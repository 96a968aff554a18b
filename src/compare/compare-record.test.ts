import { describe, expect, it } from 'vitest';
import type { Trace } from '../../schemas/trace.ts';
import { compareRecordsFromTraces } from './compare-record.ts';

const base: Trace = {
  id: 't1',
  exampleId: 'e1',
  input: { b: 2, a: [1, { d: 4, c: 3 }] },
  output: { answer: 'x', when: new Date(0) } as unknown as Trace['output'],
  status: 'ok',
  start: 0,
  end: 12,
  durationMs: 12,
  spans: [{ id: 's', parentId: null, name: 'tool', type: 'TOOL', start: 0, end: 1, status: 'ok' }],
  scores: [
    { name: 'judge', value: null, source: 'llm_judge', error: 'timed out' },
    { name: 'ok', value: true, source: 'code' },
  ],
  tags: [],
  metadata: { document: { id: 7 } },
  trial: 2,
};

/** The record of one trace, as compareRecordsFromTraces makes it for each. */
const recordOf = (trace: Trace, clusterPath?: string) => compareRecordsFromTraces([trace], clusterPath)[0]!;

describe('compareRecordsFromTraces', () => {
  it('keeps what the engine reads, keyed on canonical strings', () => {
    const record = recordOf(base, 'metadata.document');
    expect(record).toEqual({
      id: 't1',
      exampleId: 'e1',
      inputKey: '{"a":[1,{"c":3,"d":4}],"b":2}',
      trial: 2,
      status: 'ok',
      durationMs: 12,
      tokens: null,
      cost: null,
      scores: [
        { name: 'judge', value: null },
        { name: 'ok', value: true },
      ],
      outputKey: '{"answer":"x","when":"1970-01-01T00:00:00.000Z"}',
      output: base.output,
      cluster: { id: 7 },
    });
    // Key order does not change a key; no cluster path, no cluster; a missing one stays absent.
    expect(recordOf({ ...base, input: { a: [1, { c: 3, d: 4 }], b: 2 } }).inputKey).toBe(record.inputKey);
    expect('cluster' in recordOf(base)).toBe(false);
    expect('cluster' in recordOf(base, 'metadata.nowhere')).toBe(false);
  });

  it('totals tokens and cost over the spans that report them, 0 included', () => {
    const spans: Trace['spans'] = [
      {
        id: 'a',
        parentId: null,
        name: 'llm',
        type: 'LLM',
        start: 0,
        end: 1,
        status: 'ok',
        usage: { input: 0, output: 0 },
        cost: { total: 0 },
      },
      { id: 'b', parentId: 'a', name: 'llm', type: 'LLM', start: 0, end: 1, status: 'ok', usage: { input: 3, output: 4, total: 9 } },
    ];
    expect(recordOf({ ...base, spans })).toMatchObject({ tokens: 9, cost: 0 });
  });
});
