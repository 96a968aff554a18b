import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Score } from '../../schemas/score.ts';
import { JudgeScoreCollector, judgesAndPeople } from './judges-and-people.ts';

/** Random runs: traces scored by a few judges under a few names, annotated by a few people. */
const runs = fc.record({
  traces: fc.array(
    fc.record({
      scores: fc.array(
        fc.record({
          name: fc.constantFrom('helpful', 'tone', 'other'),
          value: fc.oneof(fc.double({ min: 0, max: 1, noNaN: true }), fc.boolean(), fc.constantFrom('polite', 'rude'), fc.constant(null)),
          source: fc.constantFrom('llm_judge' as const, 'code' as const, 'human' as const),
          evaluator: fc.option(fc.constantFrom('a', 'b'), { nil: undefined }),
        }),
        { maxLength: 4 },
      ),
    }),
    { maxLength: 25 },
  ),
  annotations: fc.array(
    fc.record({
      trace: fc.nat({ max: 30 }),
      name: fc.constantFrom('helpful', 'tone', 'verdict'),
      value: fc.oneof(fc.double({ min: 0, max: 1, noNaN: true }), fc.constantFrom('polite', 'rude')),
      author: fc.constantFrom('ada', 'ben', 'cy'),
      minute: fc.nat({ max: 59 }),
    }),
    { maxLength: 40 },
  ),
});

describe('judgesAndPeople on random runs', () => {
  it('the streaming collector gives what the whole run gives; counts stay within what was judged', () => {
    fc.assert(
      fc.property(runs, ({ traces: raw, annotations: rawAnnotations }) => {
        const traces = raw.map((t, i) => ({ id: `t${i}`, scores: t.scores as Score[] }));
        const annotations = rawAnnotations.map((a) => ({
          trace: `t${a.trace}`,
          name: a.name,
          value: a.value,
          author: a.author,
          at: `2026-01-01T10:${String(a.minute).padStart(2, '0')}:00Z`,
        }));
        const view = judgesAndPeople(traces, annotations);
        const collector = new JudgeScoreCollector(annotations);
        for (const t of traces) collector.add(t);
        expect(collector.finish()).toEqual(view);

        const annotated = new Set(annotations.map((a) => a.trace));
        expect(view.state).toBe(annotations.length === 0 ? 'none' : view.rows.length > 0 ? 'compared' : 'no-overlap');
        for (const trace of view.disagreeing) expect(annotated.has(trace)).toBe(true);
        for (const row of view.rows) {
          expect(row.n).toBeLessThanOrEqual(annotated.size);
          expect(row.disagreements).toBeLessThanOrEqual(row.n);
          for (const e of [row.estimate, row.spearman, row.bias]) {
            if (!e || e.low === null || e.high === null || e.value === null) continue;
            expect(e.low).toBeLessThanOrEqual(e.value + 1e-12);
            expect(e.high).toBeGreaterThanOrEqual(e.value - 1e-12);
          }
          if (row.statistic !== 'kappa' || row.estimate.value === null) continue;
          expect(row.estimate.value).toBeGreaterThanOrEqual(-1 - 1e-12);
          expect(row.estimate.value).toBeLessThanOrEqual(1 + 1e-12);
        }
      }),
      { numRuns: 300 },
    );
  });
});
