import type { Direction, Experiment } from '../../schemas/experiment.ts';
import type { CompareRecord } from './compare-record.ts';
import type { AnnotationIndex } from './annotation-index.ts';
import type { MetricKind, MetricSource } from './comparison.ts';

/** One metric to compare, decided from the data and experiment.yaml before any statistics. */
export interface MetricSpec {
  /** The name in the output; unique. An annotation sharing a score's name gets " (annotation)". */
  name: string;
  /** The score or annotation name as written in the data. */
  key: string;
  source: MetricSource;
  kind: MetricKind;
  direction: Direction | null;
  minEffect: number | null;
  /** Non-inferiority margin δ from experiment.yaml. */
  margin?: number;
  /**
   * Declared range [min, max] of an annotation metric (experiment.yaml); its interval then
   * stays inside it (docs/compare.md, "Bounded metrics").
   */
  bounds?: [number, number];
  primary: boolean;
  /** Runs (by position) in which the metric has at least one value. */
  presentIn: boolean[];
  warnings: string[];
}

interface ValueCounts {
  numbers: number;
  booleans: number;
  labels: number;
  /** Numbers that are all 0 or 1 (a boolean written as a number). */
  zeroOne: boolean;
}

/** Names of the built-in metrics; experiment.yaml may list them to set direction or minEffect. */
const BUILT_IN_METRICS = { latency: 'latencyMs', tokens: 'tokens', cost: 'cost' } as const;

/**
 * The values a metric's mean can take, which every per-run interval is truncated to
 * (docs/compare.md, "Bounded metrics"): the declared [min, max] of an annotation metric;
 * [0, ∞) for latency, tokens and cost, which are never negative; null (no limit) for scores.
 * Pass rates need none: Wilson's interval stays in [0, 1]. Differences between runs can be
 * negative and are never truncated.
 */
export function valueRange(spec: Pick<MetricSpec, 'source' | 'bounds'>): [number, number] | null {
  if (spec.bounds) return spec.bounds;
  if (spec.source === 'latency' || spec.source === 'tokens' || spec.source === 'cost') return [0, Infinity];
  return null;
}

/**
 * Every metric the runs can be compared on, in a stable order: the experiment's tracked
 * metrics in the order listed, then other scores, then annotation metrics (both by name), then
 * latency, tokens and cost. The kind follows the values (only booleans → boolean; numbers →
 * number, booleans counting 1/0; labels when they outnumber the rest), except that numbers
 * that are all 0/1 are pass/fail when experiment.yaml declares the metric boolean.
 * Directions: experiment.yaml's (default higher); latency, tokens and cost default to lower.
 * The primary metric is experiment.yaml's `primaryMetric`, else its first tracked metric, else
 * the first score by name.
 */
export function findMetricSpecs(
  runs: ReadonlyArray<{ id: string; records: readonly CompareRecord[] }>,
  experiment: Experiment,
  annotations: AnnotationIndex,
): MetricSpec[] {
  const tracked = new Map(experiment.metrics.map((m) => [m.name, m]));
  const scoreCounts = new Map<string, { counts: ValueCounts; presentIn: boolean[] }>();
  const hasUsage = runs.map(() => false);
  const hasCost = runs.map(() => false);
  runs.forEach((run, r) => {
    for (const record of run.records) {
      for (const score of record.scores) {
        let entry = scoreCounts.get(score.name);
        if (!entry) {
          entry = { counts: { numbers: 0, booleans: 0, labels: 0, zeroOne: true }, presentIn: runs.map(() => false) };
          scoreCounts.set(score.name, entry);
        }
        const v = score.value;
        if (v === null) continue;
        entry.presentIn[r] = true;
        if (typeof v === 'number') {
          entry.counts.numbers++;
          if (v !== 0 && v !== 1) entry.counts.zeroOne = false;
        } else if (typeof v === 'boolean') entry.counts.booleans++;
        else entry.counts.labels++;
      }
      if (record.tokens !== null) hasUsage[r] = true;
      if (record.cost !== null) hasCost[r] = true;
    }
  });

  const specs: MetricSpec[] = [];
  const scoreNames = [...scoreCounts.keys()];
  const orderedScores = [
    ...experiment.metrics.map((m) => m.name).filter((n) => scoreCounts.has(n)),
    ...scoreNames.filter((n) => !tracked.has(n)).sort(),
  ];
  for (const name of orderedScores) {
    const { counts, presentIn } = scoreCounts.get(name)!;
    const declared = tracked.get(name);
    const warnings: string[] = [];
    let kind = kindOf(counts);
    if (declared?.kind === 'boolean' && kind === 'number' && counts.booleans === 0 && counts.zeroOne) kind = 'boolean';
    if (declared && declared.kind !== kind && counts.numbers + counts.booleans + counts.labels > 0) {
      warnings.push(`experiment.yaml declares "${name}" as ${declared.kind} but its values are ${kind}; compared as ${kind}`);
    }
    specs.push({
      name,
      key: name,
      source: 'score',
      kind,
      direction: kind === 'label' ? null : (declared?.direction ?? 'higher'),
      minEffect: declared?.minEffect ?? null,
      ...(declared?.margin !== undefined && kind !== 'label' ? { margin: declared.margin } : {}),
      primary: false,
      presentIn,
      warnings,
    });
  }

  const runIds = runs.map((r) => r.id);
  for (const name of [...annotations.names.keys()].sort()) {
    const info = annotations.names.get(name)!;
    const kind: MetricKind = info.labels > info.numbers ? 'label' : 'number';
    const rule = experiment.annotations.metrics[name];
    const declared = tracked.get(name);
    specs.push({
      name: scoreCounts.has(name) ? `${name} (annotation)` : name,
      key: name,
      source: 'annotation',
      kind,
      direction: kind === 'label' ? null : (rule?.direction ?? declared?.direction ?? 'higher'),
      minEffect: declared?.minEffect ?? null,
      ...(kind === 'number' && rule?.min !== undefined && rule.max !== undefined && rule.max > rule.min
        ? { bounds: [rule.min, rule.max] as [number, number] }
        : {}),
      primary: false,
      presentIn: runIds.map((id) => info.runs.has(id)),
      warnings: [],
    });
  }

  const builtIn = (source: 'latency' | 'tokens' | 'cost', presentIn: boolean[]) => {
    const name = BUILT_IN_METRICS[source];
    const declared = tracked.get(name);
    specs.push({
      name,
      key: name,
      source,
      kind: 'number',
      direction: declared?.direction ?? 'lower',
      minEffect: declared?.minEffect ?? null,
      ...(declared?.margin !== undefined ? { margin: declared.margin } : {}),
      primary: false,
      presentIn,
      warnings: [],
    });
  };
  builtIn(
    'latency',
    runs.map((r) => r.records.length > 0),
  );
  if (hasUsage.some(Boolean)) builtIn('tokens', hasUsage);
  if (hasCost.some(Boolean)) builtIn('cost', hasCost);

  const primaryName = experiment.primaryMetric ?? experiment.metrics[0]?.name;
  const primary =
    (primaryName !== undefined
      ? (specs.find((s) => s.key === primaryName && s.source !== 'annotation') ?? specs.find((s) => s.key === primaryName))
      : undefined) ?? specs.find((s) => s.source === 'score');
  if (primary) primary.primary = true;
  return specs;
}

function kindOf(c: ValueCounts): MetricKind {
  if (c.labels > c.numbers + c.booleans) return 'label';
  if (c.numbers === 0 && c.booleans > 0) return 'boolean';
  return 'number';
}
