import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type ExampleRow, makeExperiment, makeRun } from './__fixtures__/make-runs.ts';
import { compareRuns } from './compare-runs.ts';
import type { Comparison } from './comparison.ts';

const experiment = makeExperiment({ metrics: [{ name: 'ok', direction: 'higher', kind: 'boolean', minEffect: 0.1 }] });
const options = { resamples: 200, seed: 3 };

/** Values drawn from small sets, so ties, zero differences and equal labels are common. */
const rowValues = fc.record({
  s: fc.oneof(fc.constantFrom(0, 0.5, 1), fc.double({ min: -5, max: 5, noNaN: true })),
  ok: fc.boolean(),
  lbl: fc.constantFrom('x', 'y', 'z'),
  latency: fc.integer({ min: 1, max: 50 }),
});

/** Paired values for n examples: [A's values, B's values]. */
const pairedRows = fc.array(fc.tuple(rowValues, rowValues), { minLength: 1, maxLength: 40 });

function rows(values: Array<{ s: number; ok: boolean; lbl: string; latency: number }>, prefix = 'e'): ExampleRow[] {
  return values.map((v, i) => ({ example: `${prefix}${i}`, scores: { s: v.s, ok: v.ok, lbl: v.lbl }, latency: v.latency }));
}

function compare(a: ExampleRow[], b: ExampleRow[]): Comparison {
  return compareRuns({ runs: [makeRun('a', a), makeRun('b', b)], experiment, options });
}

const flip = { better: 'worse', worse: 'better' } as Record<string, string>;

describe('compareRuns properties', () => {
  it('a run compared with itself: zero deltas, zero-width intervals, no verdict of difference', () => {
    fc.assert(
      fc.property(pairedRows, (pairs) => {
        const same = rows(pairs.map(([a]) => a));
        const c = compare(same, same);
        for (const m of c.metrics) {
          const d = m.deltas[0]!;
          expect(['no detectable difference', 'not compared', 'too few to compare']).toContain(d.verdict);
          // No verdict below the minimum sample, whatever the test says.
          if (d.verdict !== 'not compared') expect(d.verdict === 'too few to compare').toBe(m.n < 6);
          if (m.kind === 'label') {
            expect(d.distance).toBe(0);
          } else {
            expect(d.delta).toBe(0);
            expect(d.ci).toEqual([0, 0]);
            expect(d.pValue).toBe(1);
          }
        }
      }),
      { numRuns: 60 },
    );
  });

  it('swapping A and B flips every delta and interval and keeps every p-value', () => {
    fc.assert(
      fc.property(pairedRows, (pairs) => {
        const a = rows(pairs.map(([x]) => x));
        const b = rows(pairs.map(([, y]) => y));
        const ab = compare(a, b);
        const ba = compare(b, a);
        ab.metrics.forEach((m, i) => {
          const d = m.deltas[0]!;
          const e = ba.metrics[i]!.deltas[0]!;
          expect(ba.metrics[i]!.name).toBe(m.name);
          if (m.kind === 'label') {
            expect(e.pValue).toBeCloseTo(d.pValue!, 12);
            expect(e.verdict).toBe(d.verdict);
            return;
          }
          expect(e.delta).toBe(d.delta === null ? null : -d.delta || 0);
          expect(e.ci).toEqual(d.ci && [-d.ci[1] || 0, -d.ci[0] || 0]);
          expect(e.statistic).toBe(d.statistic);
          expect(e.pValue).toBe(d.pValue);
          expect(e.verdict).toBe(flip[d.verdict] ?? d.verdict);
        });
      }),
      { numRuns: 60 },
    );
  });

  it('adding traces of examples the other run lacks does not change any paired result', () => {
    fc.assert(
      fc.property(
        pairedRows,
        fc.array(rowValues, { maxLength: 8 }),
        fc.array(rowValues, { maxLength: 8 }),
        fc.nat(),
        (pairs, extraA, extraB, at) => {
          const a = rows(pairs.map(([x]) => x));
          const b = rows(pairs.map(([, y]) => y));
          const before = compare(a, b);
          const a2 = [...a];
          a2.splice(at % (a.length + 1), 0, ...rows(extraA, 'only-a-'));
          const b2 = [...rows(extraB, 'only-b-'), ...b];
          const after = compare(a2, b2);
          // Metrics may gain warnings about unmatched examples elsewhere, never other numbers.
          expect(after.metrics.map(({ warnings, ...m }) => m)).toEqual(before.metrics.map(({ warnings, ...m }) => m));
          expect(after.alignment.matched).toBe(before.alignment.matched);
          expect(after.alignment.runs[0]!.onlyIn.length).toBe(extraA.length);
        },
      ),
      { numRuns: 60 },
    );
  });
});
