import { describe, expect, it } from 'vitest';
import { traceSchema } from '../../schemas/trace.ts';
import { makeTrace } from '../../test/helpers/make-trace.ts';
import { traceCsvRows } from './traces-csv.ts';

describe('traceCsvRows', () => {
  it('gives failing evaluators an error column, keeps the first of a repeated score, leaves unreported usage empty', () => {
    const a = traceSchema.parse(
      makeTrace(1, {
        scores: [
          { name: 'judge', value: null, error: 'model timed out' },
          { name: 'correct', value: true },
          { name: 'correct', value: false },
        ],
        tags: ['smoke', 'fr'],
      }),
    );
    const b = traceSchema.parse(makeTrace(2, { spans: [], scores: [{ name: 'judge', value: 0.5 }] }));
    const [header, rowA, rowB] = traceCsvRows([a, b]);
    const at = (name: string) => header!.indexOf(name);
    expect(header!.slice(14)).toEqual(['score.correct', 'score.judge', 'score.judge.error']);
    expect([rowA![at('score.correct')], rowA![at('score.judge')], rowA![at('score.judge.error')], rowA![at('tags')]]).toEqual([
      true,
      null,
      'model timed out',
      'smoke fr',
    ]);
    expect([rowB![at('score.correct')], rowB![at('score.judge')], rowB![at('score.judge.error')]]).toEqual([null, 0.5, null]);
    // makeTrace's LLM span reports 10 + 5 tokens and no cost; trace b has no spans at all.
    expect([rowA![at('input_tokens')], rowA![at('total_tokens')], rowA![at('cost_usd')]]).toEqual([10, 15, null]);
    expect([rowB![at('input_tokens')], rowB![at('spans')]]).toEqual([null, 0]);
    expect(rowA).toHaveLength(header!.length);
  });

  it('fills annotation columns from the reduced values it is given', () => {
    const trace = traceSchema.parse(makeTrace(1));
    const values = new Map<string, number | string>([['verdict', 'approved']]);
    const [header, row] = traceCsvRows([trace], { names: ['verdict', 'reviewer_score'], get: (id) => (id === 't1' ? values : undefined) });
    expect(header!.slice(-2)).toEqual(['annotation.reviewer_score', 'annotation.verdict']);
    expect(row!.slice(-2)).toEqual([null, 'approved']);
  });
});
