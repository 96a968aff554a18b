import { describe, expect, it } from 'vitest';
import { cohenKappa, countTable, fleissKappa } from './kappa.ts';

/** Expands a square contingency table (rows: rater 1, columns: rater 2) into rating pairs. */
function pairsFromTable(table: number[][], names: string[]): Array<[string, string]> {
  const pairs: Array<[string, string]> = [];
  table.forEach((row, i) =>
    row.forEach((count, j) => {
      for (let k = 0; k < count; k++) pairs.push([names[i]!, names[j]!]);
    }),
  );
  return pairs;
}

describe("Cohen's kappa", () => {
  it("matches Wikipedia's worked example (50 proposals, yes/no): p_o 0.7, p_e 0.5, κ 0.4", () => {
    const result = cohenKappa(
      pairsFromTable(
        [
          [20, 5],
          [10, 15],
        ],
        ['yes', 'no'],
      ),
    );
    expect(result.observed).toBeCloseTo(0.7, 12);
    expect(result.expected).toBeCloseTo(0.5, 12);
    expect(result.kappa).toBeCloseTo(0.4, 12);
  });

  it('matches the SAS PROC FREQ example quoted by statsmodels (3 categories): κ 0.4842', () => {
    expect(
      cohenKappa(
        pairsFromTable(
          [
            [0, 4, 1],
            [0, 8, 0],
            [0, 1, 5],
          ],
          ['a', 'b', 'c'],
        ),
      ).kappa,
    ).toBeCloseTo(0.4842, 4);
  });

  it("matches R irr's kappa2 on the anxiety data, raters 2 and 3: κ −0.006289308", () => {
    // statsmodels' copy of irr's `anxiety`: 60 values in column order (rater 1, 2, 3 × 20 subjects)
    const values = [
      3, 3, 3, 4, 5, 5, 2, 3, 5, 2, 2, 6, 1, 5, 2, 2, 1, 2, 4, 3, 3, 6, 4, 6, 2, 4, 2, 4, 3, 3, 2, 3, 3, 3, 2, 2, 1, 3, 3, 4, 2, 1, 4, 4, 3,
      2, 1, 6, 1, 1, 1, 2, 3, 3, 1, 1, 3, 3, 2, 2,
    ];
    const rater2 = values.slice(20, 40);
    const rater3 = values.slice(40, 60);
    const pairs = rater2.map((r, i) => [String(r), String(rater3[i])] as [string, string]);
    expect(cohenKappa(pairs).kappa).toBeCloseTo(-0.006289308, 8);
  });

  it('is 1 for perfect agreement, null when chance agreement is already certain, null for no items', () => {
    expect(
      cohenKappa([
        ['a', 'a'],
        ['b', 'b'],
      ]).kappa,
    ).toBe(1);
    expect(
      cohenKappa([
        ['a', 'a'],
        ['a', 'a'],
      ]).kappa,
    ).toBeNull();
    expect(cohenKappa([]).kappa).toBeNull();
  });
});

describe("Fleiss' kappa", () => {
  it("matches Wikipedia's worked example (10 subjects, 14 raters, 5 categories): P̄ 0.378, P̄_e 0.213, κ 0.210", () => {
    const table = [
      [0, 0, 0, 0, 14],
      [0, 2, 6, 4, 2],
      [0, 0, 3, 5, 6],
      [0, 3, 9, 2, 0],
      [2, 2, 8, 1, 1],
      [7, 7, 0, 0, 0],
      [3, 2, 6, 3, 0],
      [2, 5, 3, 2, 2],
      [6, 5, 2, 1, 0],
      [0, 2, 2, 3, 7],
    ];
    const result = fleissKappa(table);
    expect(result.observed).toBeCloseTo(0.378, 3);
    expect(result.expected).toBeCloseTo(0.213, 3);
    expect(result.kappa).toBeCloseTo(0.20993, 5);
  });

  it("matches Fleiss (1971)'s psychiatric diagnoses (30 patients, 6 raters) as computed by R irr: κ 0.4302445", () => {
    const diagnoses = [
      [4, 4, 4, 4, 4, 4],
      [2, 2, 2, 5, 5, 5],
      [2, 3, 3, 3, 3, 5],
      [5, 5, 5, 5, 5, 5],
      [2, 2, 2, 4, 4, 4],
      [1, 1, 3, 3, 3, 3],
      [3, 3, 3, 3, 5, 5],
      [1, 1, 3, 3, 3, 4],
      [1, 1, 4, 4, 4, 4],
      [5, 5, 5, 5, 5, 5],
      [1, 4, 4, 4, 4, 4],
      [1, 2, 4, 4, 4, 4],
      [2, 2, 2, 3, 3, 3],
      [1, 4, 4, 4, 4, 4],
      [2, 2, 4, 4, 4, 5],
      [3, 3, 3, 3, 3, 5],
      [1, 1, 1, 4, 5, 5],
      [1, 1, 1, 1, 1, 2],
      [2, 2, 4, 4, 4, 4],
      [1, 3, 3, 5, 5, 5],
      [5, 5, 5, 5, 5, 5],
      [2, 4, 4, 4, 4, 4],
      [2, 2, 4, 5, 5, 5],
      [1, 1, 4, 4, 4, 4],
      [1, 4, 4, 4, 4, 5],
      [2, 2, 2, 2, 2, 4],
      [1, 1, 1, 1, 5, 5],
      [2, 2, 4, 4, 4, 4],
      [1, 3, 3, 3, 3, 3],
      [5, 5, 5, 5, 5, 5],
    ];
    const table = countTable(diagnoses.map((row) => row.map(String)));
    expect(table.flat().reduce((a, b) => a + b, 0)).toBe(180);
    expect(table.reduce((acc, row) => acc.map((v, j) => v + row[j]!), [0, 0, 0, 0, 0])).toEqual([26, 26, 30, 55, 43]);
    expect(fleissKappa(table).kappa).toBeCloseTo(0.4302445, 7);
  });

  it("with two raters pools both raters' margins (Scott's pi), hand-computed", () => {
    // 2 raters, 4 items: (a,a) (a,b) (b,b) (b,b). P̄ = 3/4; pooled p_a = 3/8, p_b = 5/8; P̄_e = 34/64.
    const result = fleissKappa(
      countTable([
        ['a', 'a'],
        ['a', 'b'],
        ['b', 'b'],
        ['b', 'b'],
      ]),
    );
    expect(result.observed).toBeCloseTo(0.75, 12);
    expect(result.expected).toBeCloseTo(34 / 64, 12);
    expect(result.kappa).toBeCloseTo((0.75 - 34 / 64) / (1 - 34 / 64), 12);
  });

  it('skips items with fewer than two ratings and lets n_i vary', () => {
    // item 1: 3 raters all "x" (P=1); item 2: 2 raters split (P=0); item 3: one rating, skipped.
    const result = fleissKappa([
      [3, 0],
      [1, 1],
      [1, 0],
    ]);
    expect(result.items).toBe(2);
    expect(result.observed).toBeCloseTo(0.5, 12);
    expect(result.expected).toBeCloseTo((4 / 5) ** 2 + (1 / 5) ** 2, 12);
  });
});
