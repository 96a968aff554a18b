import { describe, expect, it } from 'vitest';
import { makeRun, recordsOf } from './__fixtures__/make-runs.ts';
import { alignRuns } from './align.ts';

const run = (id: string, examples: string[]) => {
  const r = makeRun(
    id,
    examples.map((example) => ({ example })),
  );
  return { id, records: r.records };
};

describe('alignRuns', () => {
  it('pairs the examples every run has, sorted, and reports the rest per run', () => {
    const a = run('a', ['x', 'b', 'a', 'only-a']);
    const b = run('b', ['a', 'b', 'x', 'b', 'only-b']);
    const c = run('c', ['b', 'a', 'x', 'only-b']);
    const { keys, index, report } = alignRuns([a, b, c]);
    expect(keys).toEqual(['a', 'b', 'x']);
    expect([...index[1]!]).toEqual([0, 1, 2]);
    expect([...index[0]!]).toEqual([2, 1, 0]);
    expect(report.examples).toBe(5);
    expect(report.matched).toBe(3);
    expect(report.runs.map((r) => r.onlyIn)).toEqual([['only-a'], [], []]);
    expect(report.runs.map((r) => r.missing)).toEqual([1, 1, 1]);
    expect(report.runs[1]!.duplicates).toEqual([{ example: 'b', traces: ['b-t1', 'b-t3'] }]);
  });

  it('matches on the input when no example id is shared, and keeps ids otherwise', () => {
    const a = makeRun('a', [{ example: 'p' }, { example: 'q' }]);
    const b = makeRun('b', [{ example: 'q' }, { example: 'p' }]);
    b.traces.forEach((t) => (t.exampleId = `uuid-${t.id}`));
    // Key order inside the input does not matter for its canonical string.
    b.traces[0]!.input = { example: 'q' };
    const aligned = alignRuns([
      { id: 'a', records: a.records },
      { id: 'b', records: recordsOf(b).records },
    ]);
    expect(aligned.report.key).toBe('inputHash');
    expect(aligned.keys.length).toBe(2);
    const unrelated = makeRun('c', [{ example: 'z' }]);
    expect(
      alignRuns([
        { id: 'a', records: a.records },
        { id: 'c', records: unrelated.records },
      ]).report,
    ).toMatchObject({ key: 'exampleId', matched: 0 });
  });
});
