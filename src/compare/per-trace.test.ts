import { describe, expect, it } from 'vitest';
import { makeExperiment, makeRun } from './__fixtures__/make-runs.ts';
import { comparePerTrace } from './per-trace.ts';

const experiment = makeExperiment({ metrics: [{ name: 'quality', direction: 'higher', kind: 'number' }] });

describe('comparePerTrace', () => {
  const a = makeRun('a', [
    { example: 'e1', scores: { quality: 0.5, tone: 'curt' }, output: 'the answer is 4' },
    { example: 'e2', scores: { quality: 0.9 }, output: { text: 'same', n: 1 } },
    { example: 'e3', scores: { quality: 0.1 } },
  ]);
  const b = makeRun('b', [
    { example: 'e2', scores: { quality: 0.9 }, output: { n: 1, text: 'same' } },
    { example: 'e1', scores: { quality: 0.7, tone: 'polite' }, output: 'the answer is 5' },
    { example: 'e4', scores: { quality: 1 } },
  ]);
  const annotations = [{ run: 'b', trace: 'b-t1', name: 'reviewer', value: 1, author: 'ann', at: '2025-01-01T00:00:00.000Z' }];

  it('gives each matched example its cells, winner, changed flag and diff', () => {
    const rows = comparePerTrace({ runs: [a, b], experiment, annotations });
    expect(rows.map((r) => r.example)).toEqual(['e1', 'e2']);
    const [e1, e2] = rows;
    expect(e1!.runs.map((c) => c?.scores)).toEqual([
      { quality: 0.5, tone: 'curt' },
      { quality: 0.7, tone: 'polite' },
    ]);
    expect(e1!.runs[1]!.annotations).toEqual({ reviewer: 1 });
    expect(e1!.winner).toBe('b');
    expect(e1!.changed).toBe(true);
    expect(e1!.diffs).toEqual([
      {
        run: 'b',
        vs: 'a',
        ops: [
          { op: 'equal', text: 'the answer is ' },
          { op: 'delete', text: '4' },
          { op: 'insert', text: '5' },
        ],
      },
    ]);
    // Same output with keys in another order: unchanged, a tie on quality.
    expect(e2!.changed).toBe(false);
    expect(e2!.winner).toBe('tie');
    expect(e2!.diffs).toEqual([]);
  });

  it('can list every example, with null cells where a run lacks it, and skip diffs', () => {
    const rows = comparePerTrace({ runs: [a, b], experiment }, { examples: 'all', diffs: false });
    expect(rows.map((r) => r.example)).toEqual(['e1', 'e2', 'e3', 'e4']);
    const e3 = rows[2]!;
    expect(e3.runs[1]).toBeNull();
    expect(e3.winner).toBeNull();
    expect(e3.changed).toBeNull();
    expect(rows[0]!.diffs).toEqual([]);
  });

  it('uses the direction of the primary metric for the winner', () => {
    const lower = makeExperiment({ metrics: [{ name: 'quality', direction: 'lower', kind: 'number' }] });
    expect(comparePerTrace({ runs: [a, b], experiment: lower })[0]!.winner).toBe('a');
  });
});
