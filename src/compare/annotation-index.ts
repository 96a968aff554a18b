import type { Annotation } from '../../schemas/annotation.ts';

export type AnnotationValue = number | string;

/** What is known about one annotation name across the compared runs. */
interface AnnotationNameInfo {
  numbers: number;
  labels: number;
  /** Run ids with at least one annotation of this name. */
  runs: Set<string>;
}

export interface AnnotationIndex {
  names: Map<string, AnnotationNameInfo>;
  /** The reduced annotations of one trace of one run, by name. */
  get(runId: string, traceId: string): ReadonlyMap<string, AnnotationValue> | undefined;
}

/**
 * Groups annotations by run, trace and name, and reduces several judgements of the same trace
 * and name to one value: the mean of numbers, or the most frequent label (a tie goes to the
 * label that sorts first, so the result does not depend on file order). If one trace and name
 * has both numbers and labels, the more frequent kind wins (numbers on a tie).
 */
export function indexAnnotations(annotations: readonly Annotation[]): AnnotationIndex {
  const raw = new Map<string, Map<string, Map<string, AnnotationValue[]>>>();
  const names = new Map<string, AnnotationNameInfo>();
  for (const a of annotations) {
    let byTrace = raw.get(a.run);
    if (!byTrace) raw.set(a.run, (byTrace = new Map()));
    let byName = byTrace.get(a.trace);
    if (!byName) byTrace.set(a.trace, (byName = new Map()));
    const values = byName.get(a.name) ?? [];
    values.push(a.value);
    byName.set(a.name, values);
  }
  const reduced = new Map<string, Map<string, Map<string, AnnotationValue>>>();
  for (const [run, byTrace] of raw) {
    const runMap = new Map<string, Map<string, AnnotationValue>>();
    reduced.set(run, runMap);
    for (const [trace, byName] of byTrace) {
      const traceMap = new Map<string, AnnotationValue>();
      runMap.set(trace, traceMap);
      for (const [name, values] of byName) {
        const value = reduce(values);
        traceMap.set(name, value);
        let info = names.get(name);
        if (!info) names.set(name, (info = { numbers: 0, labels: 0, runs: new Set() }));
        if (typeof value === 'number') info.numbers++;
        else info.labels++;
        info.runs.add(run);
      }
    }
  }
  return { names, get: (runId, traceId) => reduced.get(runId)?.get(traceId) };
}

function reduce(values: readonly AnnotationValue[]): AnnotationValue {
  const numbers = values.filter((v): v is number => typeof v === 'number');
  const labels = values.filter((v): v is string => typeof v === 'string');
  if (numbers.length >= labels.length) return numbers.reduce((s, v) => s + v, 0) / numbers.length;
  const counts = new Map<string, number>();
  for (const l of labels) counts.set(l, (counts.get(l) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))[0]![0];
}
