import type { AnnotationRules } from '../../schemas/experiment.ts';
import { moments } from '../stats/moments.ts';
import type { AnnotationEntry } from './annotation-entry.ts';
import { authorKey } from './cross-check.ts';
import { cohenKappa, countTable, fleissKappa } from './kappa.ts';
import { intervalAlpha, nominalAlpha, type Alpha } from '../stats/krippendorff-alpha.ts';

export interface LabelCount {
  value: string;
  count: number;
}

/** Every judgement of one name on one trace, and what they add up to. */
export type TraceNameSummary =
  | {
      kind: 'metric';
      name: string;
      /** Oldest first. */
      entries: AnnotationEntry[];
      authors: number;
      /** The mean of the authors' values: what the trace's column and the compare engine show. */
      value: number;
      min: number;
      max: number;
      /** Sample standard deviation across authors; null with one author. */
      std: number | null;
      disagreement: boolean;
    }
  | {
      kind: 'label';
      name: string;
      entries: AnnotationEntry[];
      authors: number;
      /** The most frequent label; a tie goes to the label that sorts first (as the compare engine does). */
      value: string;
      tie: boolean;
      counts: LabelCount[];
      disagreement: boolean;
    };

export interface TraceAnnotationSummary {
  trace: string;
  names: TraceNameSummary[];
}

/** One name over a run's annotated traces. */
export type RunNameSummary =
  | { kind: 'metric'; name: string; traces: number; entries: number; mean: number; min: number; max: number; std: number | null }
  | {
      kind: 'label';
      name: string;
      traces: number;
      entries: number;
      /** Traces by their reduced label. */
      counts: LabelCount[];
      /** Every judgement, one per author and trace. */
      votes: LabelCount[];
      ties: number;
    };

/** How far annotators agree on one name, over the traces that at least two of them judged. */
export type NameAgreement =
  | {
      kind: 'label';
      name: string;
      /** Cohen's kappa when exactly two people annotated, Fleiss' kappa for more; null with no shared traces. */
      method: 'cohen' | 'fleiss' | null;
      kappa: number | null;
      /** Krippendorff's α for nominal values, over the same traces; null where undefined. */
      alpha: number | null;
      /** α's 95% bootstrap interval over traces; null below 5 shared traces. */
      alphaInterval: [number, number] | null;
      observed: number | null;
      expected: number | null;
      raters: number;
      /** Traces judged by at least two annotators. */
      items: number;
    }
  | {
      kind: 'metric';
      name: string;
      raters: number;
      items: number;
      /** Krippendorff's α for interval values: the one figure of how far people agree on a score. */
      alpha: number | null;
      /** α's 95% bootstrap interval over traces; null below 5 shared traces. */
      alphaInterval: [number, number] | null;
      /** Mean and largest max − min across authors on a trace. */
      meanRange: number | null;
      maxRange: number | null;
      /** Mean of the per-trace sample standard deviations. */
      meanStd: number | null;
      /** A trace whose range exceeds this is a disagreement. */
      tolerance: number;
    };

export interface Disagreement {
  run: string;
  trace: string;
  name: string;
  kind: 'metric' | 'label';
  entries: AnnotationEntry[];
  /** max − min for metrics; null for labels. */
  range: number | null;
}

export interface RunAnnotationSummary {
  run: string;
  traces: TraceAnnotationSummary[];
  names: RunNameSummary[];
  agreement: NameAgreement[];
}

export interface AnnotationSummary {
  runs: RunAnnotationSummary[];
  /** Agreement per name over all the runs summarised together. */
  agreement: NameAgreement[];
  disagreements: Disagreement[];
}

export interface SummarizeOptions {
  /** Runs to summarise, in this order (runs without annotations get empty summaries). Default: every run in `entries`, sorted. */
  runIds?: readonly string[];
  rules?: AnnotationRules;
  /**
   * Two metric values disagree when they are further apart than this share of the metric's
   * declared range (max − min in experiment.yaml), or of the spread of all its values when no
   * range is declared. Default 0.2.
   */
  metricTolerance?: number;
}

/**
 * Groups annotations per run → trace → name and reduces them: the mean for metrics, the
 * majority and counts for labels. Where several people judged the same traces it measures
 * their agreement (Cohen's or Fleiss' kappa for labels, the spread for metrics) and lists the
 * traces they disagree on. If one author judged a trace and name twice, the later judgement
 * (by `at`) is the one counted. Pure; sorted output, so the same entries give the same summary.
 */
export function summarizeAnnotations(entries: readonly AnnotationEntry[], options: SummarizeOptions = {}): AnnotationSummary {
  const tolerance = toleranceOf(entries, options);
  const grouped = new Map<string, Map<string, Map<string, AnnotationEntry[]>>>();
  for (const entry of entries) {
    let traces = grouped.get(entry.run);
    if (!traces) grouped.set(entry.run, (traces = new Map()));
    let names = traces.get(entry.trace);
    if (!names) traces.set(entry.trace, (names = new Map()));
    const list = names.get(entry.name);
    if (list) list.push(entry);
    else names.set(entry.name, [entry]);
  }
  const runIds = options.runIds ?? [...grouped.keys()].sort(compareText);
  const disagreements: Disagreement[] = [];
  const runs = runIds.map((run): RunAnnotationSummary => {
    const traces: TraceAnnotationSummary[] = [];
    for (const [trace, names] of [...(grouped.get(run) ?? new Map<string, Map<string, AnnotationEntry[]>>())].sort(([a], [b]) =>
      compareText(a, b),
    )) {
      const summaries = [...names]
        .sort(([a], [b]) => compareText(a, b))
        .map(([name, list]) => summarizeTraceName(name, list, tolerance(name)));
      for (const s of summaries) {
        if (s.disagreement)
          disagreements.push({
            run,
            trace,
            name: s.name,
            kind: s.kind,
            entries: s.entries,
            range: s.kind === 'metric' ? s.max - s.min : null,
          });
      }
      traces.push({ trace, names: summaries });
    }
    return { run, traces, names: summarizeRunNames(traces), agreement: measureAgreement([{ run, traces }], tolerance) };
  });
  return { runs, agreement: measureAgreement(runs, tolerance), disagreements };
}

/** One value per trace and name, the shape CSV exports and table columns want. */
export function reducedValues(run: RunAnnotationSummary): {
  names: string[];
  get(traceId: string): ReadonlyMap<string, number | string> | undefined;
} {
  const byTrace = new Map(run.traces.map((t) => [t.trace, new Map(t.names.map((n) => [n.name, n.value] as const))]));
  return { names: run.names.map((n) => n.name), get: (traceId) => byTrace.get(traceId) };
}

/** The judgements that count for each trace summary (one per author), kept out of the output. */
const countedOf = new WeakMap<TraceNameSummary, AnnotationEntry[]>();

/** One judgement per author: the latest by `at` (entries come sorted by time), then by file order. */
function latestPerAuthor(sorted: readonly AnnotationEntry[]): AnnotationEntry[] {
  const byAuthor = new Map<string, AnnotationEntry>();
  for (const entry of sorted) byAuthor.set(authorKey(entry.author), entry);
  return [...byAuthor.values()];
}

function summarizeTraceName(name: string, list: AnnotationEntry[], tolerance: number): TraceNameSummary {
  const entries =
    list.length === 1 ? list : [...list].sort((a, b) => Date.parse(a.at) - Date.parse(b.at) || compareText(a.author, b.author));
  const counted = latestPerAuthor(entries);
  const summary = reduceTraceName(name, entries, counted, tolerance);
  countedOf.set(summary, counted);
  return summary;
}

function reduceTraceName(name: string, entries: AnnotationEntry[], counted: AnnotationEntry[], tolerance: number): TraceNameSummary {
  const metrics = counted.filter((e) => typeof e.value === 'number');
  // a name is one kind (the loader enforces it); if a caller mixes them, the more common kind wins
  if (metrics.length * 2 >= counted.length && metrics.length > 0) {
    const values = metrics.map((e) => e.value as number);
    const min = minOf(values);
    const max = maxOf(values);
    const { mean, std } = moments(values);
    return {
      kind: 'metric',
      name,
      entries,
      authors: counted.length,
      value: mean!,
      min,
      max,
      std,
      disagreement: values.length > 1 && exceeds(max - min, tolerance),
    };
  }
  const counts = countLabels(counted.filter((e) => typeof e.value === 'string').map((e) => e.value as string));
  const top = counts[0]!;
  return {
    kind: 'label',
    name,
    entries,
    authors: counted.length,
    value: top.value,
    tie: counts.length > 1 && counts[1]!.count === top.count,
    counts,
    disagreement: counts.length > 1,
  };
}

function summarizeRunNames(traces: TraceAnnotationSummary[]): RunNameSummary[] {
  const byName = new Map<string, TraceNameSummary[]>();
  for (const t of traces) for (const n of t.names) pushTo(byName, n.name, n);
  return [...byName]
    .sort(([a], [b]) => compareText(a, b))
    .map(([name, list]): RunNameSummary => {
      const entries = list.reduce((acc, n) => acc + n.authors, 0);
      const metrics = list.filter((n): n is Extract<TraceNameSummary, { kind: 'metric' }> => n.kind === 'metric');
      if (metrics.length * 2 >= list.length && metrics.length > 0) {
        const values = metrics.map((n) => n.value);
        const { mean, std } = moments(values);
        return { kind: 'metric', name, traces: values.length, entries, mean: mean!, min: minOf(values), max: maxOf(values), std };
      }
      const labels = list.filter((n): n is Extract<TraceNameSummary, { kind: 'label' }> => n.kind === 'label');
      const votes = countLabels(labels.flatMap((n) => n.counts.flatMap((c) => new Array<string>(c.count).fill(c.value))));
      return {
        kind: 'label',
        name,
        traces: labels.length,
        entries,
        counts: countLabels(labels.map((n) => n.value)),
        votes,
        ties: labels.filter((n) => n.tie).length,
      };
    });
}

function measureAgreement(
  runs: ReadonlyArray<{ run: string; traces: TraceAnnotationSummary[] }>,
  tolerance: (name: string) => number,
): NameAgreement[] {
  const byName = new Map<string, AnnotationEntry[][]>();
  for (const run of runs) {
    for (const t of run.traces) {
      for (const n of t.names) pushTo(byName, n.name, countedOf.get(n) ?? latestPerAuthor(n.entries));
    }
  }
  return [...byName]
    .sort(([a], [b]) => compareText(a, b))
    .map(([name, items]): NameAgreement => {
      const raters = new Set(items.flat().map((e) => authorKey(e.author)));
      const shared = items.filter((item) => item.length >= 2);
      const isMetric = items.flat().filter((e) => typeof e.value === 'number').length * 2 >= items.flat().length;
      if (isMetric) {
        const ranges = shared.map((item) => spread(item.map((e) => e.value as number)));
        const numbers = shared.map((item) => item.flatMap((e) => (typeof e.value === 'number' ? [e.value] : [])));
        return {
          kind: 'metric',
          name,
          raters: raters.size,
          items: shared.length,
          ...alphaFields(intervalAlpha(numbers)),
          meanRange: moments(ranges.map((r) => r.range)).mean,
          maxRange: ranges.length ? maxOf(ranges.map((r) => r.range)) : null,
          meanStd: moments(ranges.map((r) => r.std)).mean,
          tolerance: tolerance(name),
        };
      }
      const sharedRaters = new Set(shared.flat().map((e) => authorKey(e.author)));
      if (shared.length === 0)
        return {
          kind: 'label',
          name,
          method: null,
          kappa: null,
          alpha: null,
          alphaInterval: null,
          observed: null,
          expected: null,
          raters: raters.size,
          items: 0,
        };
      const alpha = alphaFields(nominalAlpha(shared.map((item) => item.map((e) => String(e.value)))));
      if (sharedRaters.size === 2) {
        const [first, second] = [...sharedRaters].sort(compareText);
        const pairs = shared.map((item) => {
          const value = (who: string) => String(item.find((e) => authorKey(e.author) === who)!.value);
          return [value(first!), value(second!)] as [string, string];
        });
        return { kind: 'label', name, method: 'cohen', raters: raters.size, ...alpha, ...cohenKappa(pairs) };
      }
      const result = fleissKappa(countTable(shared.map((item) => item.map((e) => String(e.value)))));
      return { kind: 'label', name, method: 'fleiss', raters: raters.size, ...alpha, ...result };
    });
}

/** α and its interval as an agreement holds them. */
export function alphaFields(result: Alpha): { alpha: number | null; alphaInterval: [number, number] | null } {
  return { alpha: result.alpha, alphaInterval: result.low === null || result.high === null ? null : [result.low, result.high] };
}

function toleranceOf(entries: readonly AnnotationEntry[], options: SummarizeOptions): (name: string) => number {
  const share = options.metricTolerance ?? 0.2;
  const cache = new Map<string, number>();
  return (name) => {
    let value = cache.get(name);
    if (value !== undefined) return value;
    const declared = options.rules && Object.hasOwn(options.rules.metrics, name) ? options.rules.metrics[name] : undefined;
    if (declared?.min !== undefined && declared.max !== undefined) value = share * (declared.max - declared.min);
    else {
      const values = entries.filter((e) => e.name === name && typeof e.value === 'number').map((e) => e.value as number);
      value = values.length ? share * (maxOf(values) - minOf(values)) : 0;
    }
    cache.set(name, value);
    return value;
  };
}

/** `range > tolerance`, where a range equal to it up to rounding (0.8 − 0.6 vs 0.2) is not more. */
function exceeds(range: number, tolerance: number): boolean {
  return range - tolerance > 1e-9 * Math.max(1, Math.abs(tolerance));
}

function pushTo<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

function countLabels(values: readonly string[]): LabelCount[] {
  const counts = new Map<string, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  return [...counts].map(([value, count]) => ({ value, count })).sort((a, b) => b.count - a.count || compareText(a.value, b.value));
}

function spread(values: number[]): { range: number; std: number } {
  return { range: maxOf(values) - minOf(values), std: moments(values).std ?? 0 };
}

/** Loops rather than Math.min(...values): spreading 100,000 values overflows the call stack. */
function minOf(values: readonly number[]): number {
  let min = Infinity;
  for (const v of values) if (v < min) min = v;
  return min;
}

function maxOf(values: readonly number[]): number {
  let max = -Infinity;
  for (const v of values) if (v > max) max = v;
  return max;
}

/** Code-unit order, the same on every machine (localeCompare is not). */
function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
