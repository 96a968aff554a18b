import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { clusteredInterval, clusteredMean } from '../stats/clustered-mean.ts';
import { clusterBootstrapMeans } from '../stats/cluster-bootstrap.ts';
import { wilsonInterval } from '../stats/wilson.ts';
import { type ExampleRow, makeExperiment, makeRun } from './__fixtures__/make-runs.ts';
import { compareRuns } from './compare-runs.ts';
import type { Comparison } from './comparison.ts';
import { comparisonView } from './comparison-view.ts';
import { renderComparisonMarkdown, renderComparisonText } from './render-comparison.ts';

const metrics = [
  { name: 's', direction: 'higher' as const, kind: 'number' as const },
  { name: 'ok', direction: 'higher' as const, kind: 'boolean' as const },
];
const plain = makeExperiment({ metrics });
const clustered = makeExperiment({ metrics, cluster: 'metadata.document' });
/** A run whose records carry the value at the cluster path, as the CLI makes them for a clustered experiment. */
const clusteredRun = (id: string, rows: readonly ExampleRow[]) => makeRun(id, rows, { cluster: 'metadata.document' });
const options = { resamples: 200, seed: 5 };

/** 8 documents × 3 questions; a document effect shared by both runs, B a little better. */
function documentRuns(): { a: ExampleRow[]; b: ExampleRow[] } {
  const a: ExampleRow[] = [];
  const b: ExampleRow[] = [];
  const effect = [0.3, -0.2, 0.1, 0.4, -0.3, 0.0, 0.2, -0.1];
  const noise = [0.05, -0.02, 0.01, 0.03, -0.04, 0.02];
  for (let d = 0; d < 8; d++) {
    for (let q = 0; q < 3; q++) {
      const example = `d${d}q${q}`;
      const metadata = { document: `doc-${d}` };
      const sa = 0.5 + effect[d]! + noise[(d + q) % 6]!;
      const sb = sa + 0.05 + effect[d]! / 4 + noise[(d * q) % 6]! / 2;
      a.push({ example, metadata, scores: { s: sa, ok: sa > 0.5 } });
      b.push({ example, metadata, scores: { s: sb, ok: sb > 0.5 } });
    }
  }
  return { a, b };
}

function metric(c: Comparison, name: string) {
  return c.metrics.find((m) => m.name === name)!;
}

describe('compareRuns with a cluster key', () => {
  it('uses the clustered SE for every mean, difference and test, and reports the design effect', () => {
    const { a, b } = documentRuns();
    const c = compareRuns({ runs: [clusteredRun('a', a), clusteredRun('b', b)], experiment: clustered, options });
    expect(c.settings.clusters).toEqual({ key: 'metadata.document', method: 'CR1 clustered t', clusters: 8, missing: 0 });
    const s = metric(c, 's');
    expect(s.clusters).toBe(8);
    const clusterIds = Int32Array.from({ length: 24 }, (_, i) => Math.floor(i / 3));
    const valuesA = Float64Array.from(a, (r) => r.scores!.s as number);
    const valuesB = Float64Array.from(b, (r) => r.scores!.s as number);
    const expectedA = clusteredMean(valuesA, clusterIds)!;
    expect(s.runs[0]!.ciMethod).toBe('clustered-t');
    expect(s.runs[0]!.ci).toEqual(clusteredInterval(expectedA));
    expect(s.runs[0]!.designEffect).toBeCloseTo(expectedA.designEffect, 12);
    expect(expectedA.designEffect).toBeGreaterThan(2);
    const diffs = clusteredMean(
      Float64Array.from(valuesB, (v, i) => v - valuesA[i]!),
      clusterIds,
    )!;
    const delta = s.deltas[0]!;
    expect(delta.test).toBe('clustered-t');
    expect(delta.ci).toEqual(clusteredInterval(diffs));
    expect(delta.statistic).toBeCloseTo(diffs.mean / diffs.se, 10);
    expect(delta.designEffect).toBeCloseTo(diffs.designEffect, 12);

    const ok = metric(c, 'ok');
    const okA = Float64Array.from(a, (r) => (r.scores!.ok ? 1 : 0));
    const okClustered = clusteredMean(okA, clusterIds)!;
    const effectiveN = 24 / okClustered.designEffect;
    expect(ok.runs[0]!.ciMethod).toBe('wilson-clustered');
    expect(ok.runs[0]!.ci).toEqual(wilsonInterval(okClustered.mean * effectiveN, effectiveN));

    const text = renderComparisonText(comparisonView(c));
    expect(text).toContain('clustered standard errors on metadata.document (8 clusters');
    expect(text).toMatch(/deff \d/);
    expect(text).toContain('24 (8 cl.)');
    expect(renderComparisonMarkdown(comparisonView(c))).toContain('clustered standard errors');
  });

  it('is wider than the independent interval when questions of a document agree', () => {
    const { a, b } = documentRuns();
    const runs = [clusteredRun('a', a), clusteredRun('b', b)];
    const withKey = metric(compareRuns({ runs, experiment: clustered, options }), 's').runs[0]!.ci!;
    const without = metric(compareRuns({ runs, experiment: plain, options }), 's').runs[0]!.ci!;
    expect(withKey[1] - withKey[0]).toBeGreaterThan(without[1] - without[0]);
  });

  it('counts examples without the key as clusters of their own and says so', () => {
    const { a, b } = documentRuns();
    delete a[0]!.metadata;
    const c = compareRuns({ runs: [clusteredRun('a', a), clusteredRun('b', b)], experiment: clustered, options });
    expect(c.settings.clusters!.missing).toBe(1);
    expect(c.settings.clusters!.clusters).toBe(9);
    expect(c.warnings.join('\n')).toContain("1 of 24 matched examples have no metadata.document in the baseline's trace");
  });

  it('rejects a cluster key outside input, metadata and exampleId', () => {
    expect(() => makeExperiment({ cluster: 'scores.x' })).toThrow(/dotted path starting with input, metadata or exampleId/);
  });

  it('one example per cluster gives exactly the comparison without a key', () => {
    const row = fc.record({ s: fc.oneof(fc.constantFrom(0, 1), fc.double({ min: -5, max: 5, noNaN: true })), ok: fc.boolean() });
    fc.assert(
      fc.property(fc.array(fc.tuple(row, row), { minLength: 1, maxLength: 30 }), (pairs) => {
        const build = (k: 0 | 1) =>
          pairs.map(([x, y], i) => ({ example: `e${i}`, metadata: { document: i }, scores: { s: (k ? y : x).s, ok: (k ? y : x).ok } }));
        const runs = [clusteredRun('a', build(0)), clusteredRun('b', build(1))];
        const withKey = compareRuns({ runs, experiment: clustered, options });
        const without = compareRuns({ runs, experiment: plain, options });
        expect(withKey.settings.clusters!.clusters).toBe(pairs.length);
        const strip = (c: Comparison) => ({
          ...c,
          settings: { ...c.settings, clusters: undefined },
          metrics: c.metrics.map((m) => ({ ...m, clusters: undefined })),
        });
        expect(strip(withKey)).toEqual(strip(without));
      }),
      { numRuns: 80 },
    );
  });
});

describe('compareRuns with a cluster bootstrap (options.clusterInterval)', () => {
  it('gives each difference the cluster bootstrap interval of its per-example differences and names the method', () => {
    const { a, b } = documentRuns();
    const c = compareRuns({
      runs: [clusteredRun('a', a), clusteredRun('b', b)],
      experiment: clustered,
      options: { ...options, clusterInterval: 'cluster-bootstrap' },
    });
    const t = compareRuns({ runs: [clusteredRun('a', a), clusteredRun('b', b)], experiment: clustered, options });
    expect(c.settings.bootstrap.method).toBe('cluster percentile');
    expect(t.settings.bootstrap.method).toBe('paired percentile');
    const diffs = Float64Array.from(a, (row, i) => (b[i]!.scores!.s as number) - (row.scores!.s as number));
    const ids = a.map((_, i) => Math.floor(i / 3));
    expect(metric(c, 's').deltas[0]!.ci).toEqual(clusterBootstrapMeans([diffs], ids, options)[0]);
    expect(metric(c, 's').deltas[0]!.ci).not.toEqual(metric(t, 's').deltas[0]!.ci);
    // Tests, p-values and the run means stay those of the clustered analysis.
    expect(metric(c, 's').deltas[0]!.pValue).toBe(metric(t, 's').deltas[0]!.pValue);
    expect(metric(c, 's').runs).toEqual(metric(t, 's').runs);
  });

  it('with one example per cluster reduces exactly to the comparison without clusters', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.double({ min: -5, max: 5, noNaN: true }), fc.double({ min: -5, max: 5, noNaN: true })), {
          minLength: 1,
          maxLength: 25,
        }),
        fc.integer({ min: 0, max: 1e6 }),
        (pairs, seed) => {
          const rows = (side: 0 | 1): ExampleRow[] =>
            pairs.map((p, i) => ({ example: `e${i}`, metadata: { document: `doc-${i}` }, scores: { s: p[side], ok: p[side] > 0 } }));
          const opts = { resamples: 100, seed };
          const single = compareRuns({
            runs: [makeRun('a', rows(0)), makeRun('b', rows(1))],
            experiment: clustered,
            options: { ...opts, clusterInterval: 'cluster-bootstrap' },
          });
          const none = compareRuns({ runs: [makeRun('a', rows(0)), makeRun('b', rows(1))], experiment: plain, options: opts });
          expect(single.metrics.map((m) => ({ ...m, clusters: undefined }))).toEqual(
            none.metrics.map((m) => ({ ...m, clusters: undefined })),
          );
        },
      ),
      { numRuns: 40 },
    );
  });
});

describe('the cluster bootstrap in the displays', () => {
  it('names the method and its seed in the table footnote', () => {
    const { a, b } = documentRuns();
    const c = compareRuns({
      runs: [clusteredRun('a', a), clusteredRun('b', b)],
      experiment: clustered,
      options: { ...options, clusterInterval: 'cluster-bootstrap' },
    });
    expect(comparisonView(c).footnote).toContain('Δ CIs by cluster bootstrap (200 resamples, seed 5)');
  });
});
