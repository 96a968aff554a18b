import type { Annotation } from '../../schemas/annotation.ts';
import type { AnnotationRules } from '../../schemas/experiment.ts';
import type { Score } from '../../schemas/score.ts';
import { judgeErrorCorrelation } from '../stats/judge-error-correlation.ts';
import { judgeAgreement } from './judge-agreement.ts';
import { pairJudgesWithPeople, type JudgedName, type JudgeHumanPair } from './judge-human-pairs.ts';

/**
 * A judge's metric disagrees with the people on a trace when the two differ by more than this
 * share of the metric's range: the range declared in experiment.yaml (`annotations.metrics`),
 * else the span of every judge and human value of that name in the run. The same rule, and the
 * same 0.2, as two people disagreeing (summarize-annotations.ts), so both filters mean alike.
 */
export const JUDGE_TOLERANCE_SHARE = 0.2;

/** A value with its 95% interval; null parts where it is undefined (see src/stats/correlation.ts). */
export interface Estimate {
  value: number | null;
  low: number | null;
  high: number | null;
}

/** One automated judge of one metric or label against the people, on the traces both scored. */
export interface JudgeRow {
  name: string;
  kind: 'metric' | 'label';
  /** The evaluator's name, or its source (`llm_judge`, `code`) when it has none. */
  judge: string;
  /** Traces scored by the judge and by at least one person. */
  n: number;
  /** Cohen's κ (Fleiss–Cohen–Everitt interval) for labels, Pearson's r (Fisher z interval) for metrics. */
  statistic: 'kappa' | 'pearson';
  estimate: Estimate;
  /** Share of traces where judge and people gave the same label (labels only). */
  observed: number | null;
  /** Spearman's ρ (Bonett–Wright interval), metrics only. */
  spearman: Estimate | null;
  /** Mean of judge − people with a Student t interval, metrics only: which way the judge leans. */
  bias: Estimate | null;
  /** |judge − people| above this counts as a disagreement (metrics only; labels must match). */
  tolerance: number | null;
  /** Traces where this judge and the people disagree. */
  disagreements: number;
}

/**
 * Pearson r of two judges' errors on the traces every judge of the name and the people scored:
 * judge − people for metrics, 1/0 for a label other than / the same as the people's (phi).
 */
export interface JudgeErrorPair {
  a: string;
  b: string;
  n: number;
  r: Estimate;
}

export interface JudgeErrors {
  name: string;
  pairs: JudgeErrorPair[];
  meanR: number | null;
  /** k / (1 + (k − 1)·r̄), in [1, k]: how many independent judges the k judges are worth. */
  effectiveJudges: number | null;
  judges: number;
}

export interface JudgesAndPeople {
  /**
   * `none`: no annotations at all (show nothing); `no-overlap`: people annotated, but no judge
   * scored the same name on the same traces; `compared`: `rows` has at least one judge.
   */
  state: 'none' | 'no-overlap' | 'compared';
  /** Every name people annotated in this run, sorted. */
  annotatedNames: string[];
  rows: JudgeRow[];
  /** Names with two or more judges. */
  errors: JudgeErrors[];
  /** Traces where some judge and the people disagree, sorted. */
  disagreeing: string[];
  /** Each disagreement: which judge, on which trace and name (by trace, name, judge). */
  disputes: Array<{ trace: string; name: string; judge: string }>;
}

/** A run nobody annotated. */
export const NOTHING_JUDGED: JudgesAndPeople = Object.freeze({
  state: 'none',
  annotatedNames: [],
  rows: [],
  errors: [],
  disagreeing: [],
  disputes: [],
}) as JudgesAndPeople;

type TraceScores = { id: string; scores: ReadonlyArray<Score> };
type PeopleAnnotation = Pick<Annotation, 'trace' | 'name' | 'value' | 'author' | 'at'>;

/**
 * Keeps, while a run's traces stream past, only the automated scores of annotated traces under
 * annotated names, so a run of any size costs memory in proportion to its annotations.
 */
export class JudgeScoreCollector {
  readonly #annotations: PeopleAnnotation[];
  readonly #traces = new Set<string>();
  readonly #names = new Set<string>();
  readonly #kept: TraceScores[] = [];

  /** `annotations` are one run's. */
  constructor(annotations: ReadonlyArray<PeopleAnnotation>) {
    this.#annotations = [...annotations];
    for (const a of annotations) {
      this.#traces.add(a.trace);
      this.#names.add(a.name);
    }
  }

  add(trace: TraceScores): void {
    if (!this.#traces.has(trace.id)) return;
    const scores = trace.scores.filter((s) => s.source !== 'human' && this.#names.has(s.name));
    if (scores.length > 0) this.#kept.push({ id: trace.id, scores });
  }

  finish(rules?: AnnotationRules): JudgesAndPeople {
    return judgesAndPeople(this.#kept, this.#annotations, rules);
  }
}

/**
 * Sets a run's automated scores (`llm_judge`, `code`) beside its human annotations of the same
 * name: per judge the agreement with a 95% interval, the bias for metrics, the traces they
 * disagree on, and with several judges of a metric the correlation of their errors. When one
 * person judged a trace twice, their latest judgement counts (as in the annotation summary).
 */
export function judgesAndPeople(
  traces: ReadonlyArray<TraceScores>,
  annotations: ReadonlyArray<PeopleAnnotation>,
  rules?: AnnotationRules,
): JudgesAndPeople {
  const latest = latestPerAuthor(annotations);
  const annotatedNames = [...new Set(latest.map((a) => a.name))].sort();
  if (latest.length === 0) return { ...NOTHING_JUDGED, annotatedNames };
  const judged = pairJudgesWithPeople(traces, latest);
  const rows: JudgeRow[] = [];
  const errors: JudgeErrors[] = [];
  const disagreeing = new Set<string>();
  const disputes: JudgesAndPeople['disputes'] = [];
  for (const name of judged) {
    const tolerance = name.kind === 'metric' ? toleranceOf(name, rules) : null;
    const agreement = judgeAgreement(name);
    for (const j of agreement.judges) {
      const pairs = name.judges.get(j.judge)!;
      const differing = pairs.filter((p) => differs(p, tolerance));
      for (const p of differing) {
        disagreeing.add(p.trace);
        disputes.push({ trace: p.trace, name: name.name, judge: j.judge });
      }
      const common = { name: name.name, kind: name.kind, judge: j.judge, n: j.n, tolerance, disagreements: differing.length };
      if (j.kind === 'label') {
        rows.push({
          ...common,
          statistic: 'kappa',
          estimate: { value: j.kappa.kappa, low: j.kappa.low, high: j.kappa.high },
          observed: j.kappa.observed,
          spearman: null,
          bias: null,
        });
      } else {
        rows.push({
          ...common,
          statistic: 'pearson',
          estimate: { value: j.pearson.r, low: j.pearson.low, high: j.pearson.high },
          observed: null,
          spearman: { value: j.spearman.r, low: j.spearman.low, high: j.spearman.high },
          bias: { value: j.bias.mean, low: j.bias.low, high: j.bias.high },
        });
      }
    }
    // Labels: an error is a label other than the people's (1) or the same (0); the correlation of
    // two such series is the phi coefficient, and the design-effect count reads the same way.
    const correlated = agreement.errors ?? (name.kind === 'label' && name.judges.size >= 2 ? labelErrors(name) : null);
    if (correlated) {
      errors.push({
        name: name.name,
        judges: agreement.judges.length,
        pairs: correlated.pairs.map((p) => ({
          a: p.a,
          b: p.b,
          n: p.correlation.n,
          r: { value: p.correlation.r, low: p.correlation.low, high: p.correlation.high },
        })),
        meanR: correlated.meanR,
        effectiveJudges: correlated.effectiveJudges,
      });
    }
  }
  const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  disputes.sort((a, b) => byText(a.trace, b.trace) || byText(a.name, b.name) || byText(a.judge, b.judge));
  return {
    state: rows.length > 0 ? 'compared' : 'no-overlap',
    annotatedNames,
    rows,
    errors,
    disagreeing: [...disagreeing].sort(),
    disputes,
  };
}

/** Does this judge's value disagree with the people's on this trace? */
function differs(pair: JudgeHumanPair<number | string>, tolerance: number | null): boolean {
  if (typeof pair.judge === 'number' && typeof pair.human === 'number') {
    // Equal up to rounding (0.8 − 0.6 against 0.2) is not more than the tolerance.
    const t = tolerance ?? 0;
    return Math.abs(pair.judge - pair.human) - t > 1e-9 * Math.max(1, Math.abs(t));
  }
  return pair.judge !== pair.human;
}

/** Error indicators (1: not the people's label) of every judge of a label, on the traces all of them scored. */
function labelErrors(name: JudgedName): ReturnType<typeof judgeErrorCorrelation> {
  const byJudge = [...name.judges].map(([judge, pairs]) => [judge, new Map(pairs.map((p) => [p.trace, p]))] as const);
  const common = [...byJudge[0]![1].keys()].filter((trace) => byJudge.every(([, m]) => m.has(trace))).sort();
  const indicators = new Map(
    byJudge.map(([judge, m]) => [judge, common.map((trace) => (m.get(trace)!.judge === m.get(trace)!.human ? 0 : 1))]),
  );
  return judgeErrorCorrelation(
    indicators,
    common.map(() => 0),
  );
}

function toleranceOf(name: JudgedName, rules: AnnotationRules | undefined): number {
  const declared = rules && Object.hasOwn(rules.metrics, name.name) ? rules.metrics[name.name] : undefined;
  if (declared?.min !== undefined && declared.max !== undefined) return JUDGE_TOLERANCE_SHARE * (declared.max - declared.min);
  let min = Infinity;
  let max = -Infinity;
  for (const pairs of name.judges.values()) {
    for (const p of pairs) {
      for (const v of [p.judge, p.human]) {
        if (typeof v !== 'number') continue;
        min = Math.min(min, v);
        max = Math.max(max, v);
      }
    }
  }
  return max > min ? JUDGE_TOLERANCE_SHARE * (max - min) : 0;
}

function latestPerAuthor(annotations: ReadonlyArray<PeopleAnnotation>): PeopleAnnotation[] {
  const latest = new Map<string, PeopleAnnotation>();
  for (const a of annotations) {
    const key = `${a.trace}\u0000${a.name}\u0000${a.author}`;
    const seen = latest.get(key);
    if (!seen || Date.parse(a.at) >= Date.parse(seen.at)) latest.set(key, a);
  }
  return [...latest.values()];
}
