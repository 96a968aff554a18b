import type { Trace } from '../../schemas/trace.ts';
import type { AnnotationIndex } from './annotation-index.ts';
import type { MetricSpec } from './metric-specs.ts';

/** One metric's values on the matched examples, one column per run, in alignment order. */
export type MetricColumns =
  | { kind: 'numeric'; columns: Float64Array[]; nonFinite: number[] }
  | { kind: 'label'; columns: Array<Array<string | null>>; nonFinite: number[] };

/**
 * Reads one metric for every matched example of every run. A missing value is NaN (numeric)
 * or null (label): no trace value, an evaluator error or null, a value of another kind, or a
 * NaN/±Infinity number (those are also counted in `nonFinite`, per run). A trace that carries
 * the same score name twice contributes its first value. Tokens and cost are missing for a
 * trace none of whose spans carries usage / cost.
 */
export function readMetricColumns(
  spec: MetricSpec,
  runs: ReadonlyArray<{ id: string; traces: readonly Trace[] }>,
  index: readonly Int32Array[],
  annotations: AnnotationIndex,
): MetricColumns {
  const nonFinite = runs.map(() => 0);
  if (spec.kind === 'label') {
    const columns = runs.map((run, r) =>
      Array.from(index[r]!, (i) => {
        const v = rawValue(spec, run.id, run.traces[i]!, annotations);
        return typeof v === 'string' ? v : null;
      }),
    );
    return { kind: 'label', columns, nonFinite };
  }
  const columns = runs.map((run, r) => {
    const idx = index[r]!;
    const column = new Float64Array(idx.length);
    for (let p = 0; p < idx.length; p++) {
      const v = rawValue(spec, run.id, run.traces[idx[p]!]!, annotations);
      let x = Number.NaN;
      if (typeof v === 'number') {
        if (Number.isFinite(v)) {
          // Numbers in a boolean metric are accepted only as 0/1 (see findMetricSpecs).
          if (spec.kind !== 'boolean' || v === 0 || v === 1) x = v;
        } else {
          nonFinite[r]!++;
        }
      } else if (typeof v === 'boolean') {
        x = v ? 1 : 0;
      }
      column[p] = x;
    }
    return column;
  });
  return { kind: 'numeric', columns, nonFinite };
}

/** The value of a metric on one trace, before kind checks; undefined when there is none. */
export function rawValue(spec: MetricSpec, runId: string, trace: Trace, annotations: AnnotationIndex): unknown {
  switch (spec.source) {
    case 'score': {
      for (const score of trace.scores ?? []) {
        if (score.name === spec.key) return score.error !== undefined ? undefined : score.value;
      }
      return undefined;
    }
    case 'annotation':
      return annotations.get(runId, trace.id)?.get(spec.key);
    case 'latency':
      return trace.durationMs;
    case 'tokens': {
      let total = 0;
      let any = false;
      for (const span of trace.spans ?? []) {
        if (!span.usage) continue;
        any = true;
        total += span.usage.total ?? (span.usage.input ?? 0) + (span.usage.output ?? 0);
      }
      return any ? total : undefined;
    }
    case 'cost': {
      let total = 0;
      let any = false;
      for (const span of trace.spans ?? []) {
        if (!span.cost) continue;
        any = true;
        total += span.cost.total;
      }
      return any ? total : undefined;
    }
  }
}
