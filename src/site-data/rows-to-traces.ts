import { applyPlan } from '../plan/apply-plan.ts';
import type { Annotation } from '../../schemas/annotation.ts';
import type { Experiment } from '../../schemas/experiment.ts';
import type { Trace } from '../../schemas/trace.ts';
import type { CompareInput, RunToCompare } from '../compare/compare-runs.ts';
import type { RunMeta } from './run-meta.ts';
import type { RunRows } from './run-rows.ts';

/**
 * Rebuilds, from a run's table rows, traces that carry exactly what the compare engine reads:
 * example id, status, latency, token and cost totals (as one span), each score's value, and
 * the input and output as their hashes (equal inputs → equal hashes, so alignment by input
 * and "changed" detection work without the full values). The browser compares runs from
 * rows.json this way, with the same engine and the same numbers as `labbook compare`.
 */
export function rowsToTraces(rows: RunRows): Trace[] {
  const traces: Trace[] = new Array(rows.count);
  for (let i = 0; i < rows.count; i++) {
    const tokens = rows.tokens[i];
    const cost = rows.cost[i];
    const spans: Trace['spans'] = [];
    if (tokens !== null || cost !== null) {
      spans.push({
        id: 'totals',
        parentId: null,
        name: 'totals',
        type: 'UNKNOWN',
        start: 0,
        end: 0,
        status: 'ok',
        ...(tokens !== null && tokens !== undefined ? { usage: { input: 0, output: 0, total: tokens } } : {}),
        ...(cost !== null && cost !== undefined ? { cost: { total: cost } } : {}),
      });
    }
    const scores: Trace['scores'] = [];
    for (const column of rows.scores) {
      // Annotation columns are the engine's `annotations` input, never scores.
      if (column.source !== 'score') continue;
      const v = column.values[i];
      if (v === undefined) continue;
      const value = column.kind === 'boolean' && typeof v === 'number' ? v === 1 : v;
      scores.push({ name: column.name, value, source: 'code' });
    }
    traces[i] = {
      id: rows.id[i]!,
      exampleId: rows.example[i]!,
      input: rows.inputHash[i],
      output: rows.outputHash[i],
      status: rows.status[i] === 1 ? 'error' : 'ok',
      start: 0,
      end: rows.latency[i]!,
      durationMs: rows.latency[i]!,
      spans,
      scores,
      tags: [],
    };
    const trial = rows.trial?.[i];
    if (trial !== null && trial !== undefined) traces[i]!.trial = trial;
    const cluster = rows.cluster?.values[i];
    if (rows.cluster && cluster !== null && cluster !== undefined) placeAt(traces[i]!, rows.cluster.key, JSON.parse(cluster));
  }
  return traces;
}

/**
 * Puts a trace's cluster value back where the key reads it (`metadata.document`,
 * `input.doc`), so the engine groups examples as labbook compare does. An `input.…` key turns
 * the input hash into an object holding it: every run gets the same shape, so inputs still match.
 */
function placeAt(trace: Trace, key: string, value: unknown): void {
  const [root, ...rest] = key.split('.');
  if (root === 'exampleId' || rest.length === 0) return;
  const base = root === 'metadata' ? { ...(trace.metadata ?? {}) } : { inputHash: trace.input };
  let node: Record<string, unknown> = base;
  rest.forEach((part, i) => {
    if (i === rest.length - 1) node[part] = value;
    else node = (node[part] = {}) as Record<string, unknown>;
  });
  if (root === 'metadata') trace.metadata = base;
  else trace.input = base;
}

/** The experiment definition the engine needs, from a run's meta file. */
export function experimentFromMeta(meta: RunMeta): Experiment {
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
export function compareInputFromRows(runs: readonly { meta: RunMeta; rows: RunRows }[], annotations: readonly Annotation[] = []): CompareInput {
  const toCompare: RunToCompare[] = runs.map(({ meta, rows }) => ({ manifest: meta.manifest, traces: rowsToTraces(rows), config: meta.config ?? {} }));
  // Each run's recorded plan: the last run's is in force, as in labbook compare (src/plan/).
  return applyPlan({ runs: toCompare, experiment: experimentFromMeta(runs[0]!.meta), annotations }, runs.map(({ meta }) => meta.plan ?? null));
}
