import type { Annotation } from '#schemas/annotation.ts';
import type { Experiment } from '#schemas/experiment.ts';
import type { ScoreValue } from '#schemas/score.ts';
import type { CompareRecord } from '#lib/compare/compare-record.ts';
import type { CompareInput, RunToCompare } from '#lib/compare/compare-runs.ts';
import { applyPlan } from '#lib/compare/apply-plan.ts';
import type { RunMeta } from './run-meta.ts';
import type { RunRows } from './run-rows.ts';

/**
 * The compare engine's records of a run, from its table rows: example id, status, latency,
 * token and cost totals, each score's value, and the input and output keys (the rows' short
 * digests of their canonical JSON: equal values, equal keys, so alignment by input and
 * "changed" detection work without the full values). The browser compares runs from rows.json
 * this way, with the same engine and the same numbers as `labbook compare`.
 *
 * Trials and cluster values come from the rows' `trial` and `cluster` columns. The rows hold
 * the values at one key (the one in force when the site was built); `clusterPath` is the key
 * the comparison uses, and a row's value counts only when the rows were read at that key.
 */
export function compareRecordsFromRows(rows: RunRows, clusterPath?: string | null): CompareRecord[] {
  const clusters = clusterPath && rows.cluster?.key === clusterPath ? rows.cluster.values : null;
  const records: CompareRecord[] = new Array(rows.count);
  for (let i = 0; i < rows.count; i++) {
    const scores: Array<{ name: string; value: ScoreValue }> = [];
    for (const column of rows.scores) {
      // Annotation columns are the engine's `annotations` input, never scores.
      if (column.source !== 'score') continue;
      const v = column.values[i];
      if (v === undefined) continue;
      scores.push({ name: column.name, value: column.kind === 'boolean' && typeof v === 'number' ? v === 1 : v });
    }
    records[i] = {
      id: rows.id[i]!,
      exampleId: rows.example[i]!,
      inputKey: rows.inputHash[i]!,
      status: rows.status[i] === 1 ? 'error' : 'ok',
      durationMs: rows.latency[i]!,
      tokens: rows.tokens[i] ?? null,
      cost: rows.cost[i] ?? null,
      scores,
      outputKey: rows.outputHash[i]!,
    };
    const trial = rows.trial?.[i];
    if (trial !== null && trial !== undefined) records[i]!.trial = trial;
    const cluster = clusters?.[i];
    if (cluster !== null && cluster !== undefined) records[i]!.cluster = JSON.parse(cluster) as unknown;
  }
  return records;
}

/** The experiment definition the engine needs, from a run's meta file. */
function experimentFromMeta(meta: RunMeta): Experiment {
  return {
    name: meta.experiment.name,
    metrics: meta.experiment.metrics,
    ...(meta.experiment.primaryMetric ? { primaryMetric: meta.experiment.primaryMetric } : {}),
    annotations: meta.experiment.annotations ?? { labels: {}, metrics: {} },
    ...(meta.experiment.cluster ? { cluster: meta.experiment.cluster } : {}),
  };
}

/**
 * The engine's input for runs loaded by the compare page (the first run is the baseline), with
 * the annotations of these runs (each run's annotations.json entries): the engine reduces and
 * compares them like `labbook compare` does.
 */
export function compareInputFromRows(
  runs: readonly { meta: RunMeta; rows: RunRows }[],
  annotations: readonly Annotation[] = [],
): CompareInput {
  const experiment = experimentFromMeta(runs[0]!.meta);
  const toCompare: RunToCompare[] = runs.map(({ meta, rows }) => ({
    manifest: meta.manifest,
    records: compareRecordsFromRows(rows, experiment.cluster),
    config: meta.config ?? {},
  }));
  // Each run's recorded plan: the last run's is in force, as in labbook compare (src/plan/),
  // and a cluster key of its own reads the rows' cluster column at that key.
  return applyPlan(
    { runs: toCompare, experiment, annotations },
    runs.map(({ meta }) => meta.plan ?? null),
    (i, clusterPath) => compareRecordsFromRows(runs[i]!.rows, clusterPath),
  );
}
