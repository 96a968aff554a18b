import type { Queue, QueueSelection } from '../../schemas/queue.ts';
import { Mulberry32 } from '../stats/prng.ts';
import { countTable, fleissKappa, type Kappa } from './kappa.ts';
import { intervalAlpha, nominalAlpha } from '../stats/krippendorff-alpha.ts';
import { alphaFields } from './summarize-annotations.ts';

/**
 * Review queues as pure functions: which traces a queue holds, who reviews which, and how far
 * the reviewers have come and how much they agree. No Node imports: the site build and the
 * browser call these too.
 */

/** What a run offers a queue: its trace ids in file order, score values by name, and disputes. */
export interface QueueCandidates {
  ids: readonly string[];
  /** One value per trace: numbers (booleans as 1/0), labels, or null. */
  scores: ReadonlyMap<string, readonly (number | string | null)[]>;
  /** Traces whose annotators disagree on some name. */
  disagreements: ReadonlySet<string>;
  /** Traces where an automated judge and the people disagree (judges-and-people.ts); none if absent. */
  judgeDisagreements?: ReadonlySet<string>;
}

interface QueueTraces {
  /** The queue's traces, in the run's order. */
  ids: string[];
  /** Trace ids the queue lists that the run does not have. */
  unknown: string[];
}

/** The traces a queue's selection picks from the run. */
export function selectQueueTraces(selection: QueueSelection, run: QueueCandidates): QueueTraces {
  if ('traces' in selection) {
    const index = new Map(run.ids.map((id, i) => [id, i]));
    const known = [...new Set(selection.traces)].filter((id) => index.has(id)).sort((a, b) => index.get(a)! - index.get(b)!);
    return { ids: known, unknown: selection.traces.filter((id) => !index.has(id)) };
  }
  if ('disagree' in selection) {
    const disputed = selection.disagree === 'judge' ? (run.judgeDisagreements ?? new Set<string>()) : run.disagreements;
    return { ids: run.ids.filter((id) => disputed.has(id)), unknown: [] };
  }
  if ('fails' in selection) {
    const values = run.scores.get(selection.fails);
    if (!values) return { ids: [], unknown: [] };
    const limit = selection.below;
    const failed = (v: number | string | null) => typeof v === 'number' && (limit === undefined ? v === 0 : v < limit);
    return { ids: run.ids.filter((_, i) => failed(values[i] ?? null)), unknown: [] };
  }
  const random = new Mulberry32(selection.sample.seed);
  const order = run.ids.map((_, i) => i);
  // Fisher–Yates with a seeded generator: the same seed picks the same traces everywhere.
  for (let i = order.length - 1; i > 0; i--) {
    const j = random.nextIndex(i + 1);
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  const picked = order.slice(0, selection.sample.size).sort((a, b) => a - b);
  return { ids: picked.map((i) => run.ids[i]!), unknown: [] };
}

/**
 * Who judges which trace: trace k goes to reviewers k, k+1, … k+overlap−1 (round robin), so
 * each reviewer gets about the same number of traces and each pair of neighbours shares some,
 * which is what agreement needs. With no reviewers named, the queue is open to anyone.
 */
export function assignReviewers(ids: readonly string[], reviewers: readonly string[], overlap: number): Map<string, string[]> {
  const assignment = new Map<string, string[]>();
  const k = Math.min(Math.max(1, overlap), reviewers.length);
  ids.forEach((id, i) =>
    assignment.set(id, reviewers.length === 0 ? [] : Array.from({ length: k }, (_, j) => reviewers[(i + j) % reviewers.length]!)),
  );
  return assignment;
}

/** The traces a reviewer is to judge, in queue order (every trace when the queue is open). */
export function tracesFor(reviewer: string, ids: readonly string[], assignment: ReadonlyMap<string, readonly string[]>): string[] {
  return ids.filter((id) => {
    const assigned = assignment.get(id) ?? [];
    return assigned.length === 0 || assigned.includes(reviewer);
  });
}

/** One committed judgement, as the queue page needs it. */
export interface QueueJudgement {
  trace: string;
  name: string;
  author: string;
  value: number | string;
}

interface ReviewerProgress {
  reviewer: string;
  assigned: number;
  /** Assigned traces with a judgement of every collected name. */
  done: number;
}

export interface NameAgreement {
  name: string;
  kind: 'label' | 'metric';
  /** Traces judged by two people or more. */
  items: number;
  /** Labels: Fleiss' kappa over the traces with two judgements or more. */
  kappa: Kappa | null;
  /** Metrics: the mean absolute difference between two judges of a trace (every pair of them). */
  meanAbsoluteDifference: number | null;
  /** Krippendorff's α (nominal for labels, interval for metrics) over the same traces. */
  alpha: number | null;
  /** α's 95% bootstrap interval over traces; null below 5 shared traces. */
  alphaInterval: [number, number] | null;
}

interface QueueProgress {
  traces: number;
  /** Traces with every collected name judged by as many people as the overlap asks. */
  complete: number;
  reviewers: ReviewerProgress[];
  agreement: NameAgreement[];
}

/** How far a queue has come, from the annotations already committed for its run. */
export function queueProgress(queue: Queue, ids: readonly string[], judgements: readonly QueueJudgement[]): QueueProgress {
  const names = [...queue.collect.labels, ...queue.collect.metrics];
  const inQueue = new Set(ids);
  // trace → name → author → value (an author's first judgement counts, as everywhere else).
  const byTrace = new Map<string, Map<string, Map<string, number | string>>>();
  for (const j of judgements) {
    if (!inQueue.has(j.trace) || !names.includes(j.name)) continue;
    const byName = byTrace.get(j.trace) ?? new Map<string, Map<string, number | string>>();
    const byAuthor = byName.get(j.name) ?? new Map<string, number | string>();
    if (!byAuthor.has(j.author)) byAuthor.set(j.author, j.value);
    byName.set(j.name, byAuthor);
    byTrace.set(j.trace, byName);
  }
  const assignment = assignReviewers(ids, queue.reviewers, queue.overlap);
  const authors =
    queue.reviewers.length > 0 ? queue.reviewers : [...new Set(judgements.filter((j) => inQueue.has(j.trace)).map((j) => j.author))].sort();
  const judgedAll = (trace: string, author: string) => names.every((name) => byTrace.get(trace)?.get(name)?.has(author));
  const reviewers = authors.map((reviewer) => {
    const mine = queue.reviewers.length > 0 ? tracesFor(reviewer, ids, assignment) : ids;
    return { reviewer, assigned: mine.length, done: mine.filter((id) => judgedAll(id, reviewer)).length };
  });
  const needed = queue.reviewers.length > 0 ? Math.min(queue.overlap, queue.reviewers.length) : 1;
  const complete = ids.filter((id) => names.every((name) => (byTrace.get(id)?.get(name)?.size ?? 0) >= needed)).length;
  const agreement = names.map((name): NameAgreement => {
    const kind = queue.collect.labels.includes(name) ? 'label' : 'metric';
    const rated = ids.map((id) => [...(byTrace.get(id)?.get(name)?.values() ?? [])]).filter((values) => values.length >= 2);
    if (kind === 'label') {
      return {
        name,
        kind,
        items: rated.length,
        kappa: rated.length > 0 ? fleissKappa(countTable(rated.map((values) => values.map(String)))) : null,
        meanAbsoluteDifference: null,
        ...alphaFields(nominalAlpha(rated.map((values) => values.map(String)))),
      };
    }
    const scores = rated.map((values) => values.map(Number));
    const differences = scores.map(meanPairDifference);
    return {
      name,
      kind,
      items: rated.length,
      kappa: null,
      meanAbsoluteDifference: differences.length > 0 ? differences.reduce((a, b) => a + b, 0) / differences.length : null,
      ...alphaFields(intervalAlpha(scores)),
    };
  });
  return { traces: ids.length, complete, reviewers, agreement };
}

/** The mean |a − b| over every pair of one trace's scores (a queue with overlap 3 has three pairs). */
function meanPairDifference(values: readonly number[]): number {
  let total = 0;
  let pairs = 0;
  for (let i = 0; i < values.length; i++) {
    for (let j = i + 1; j < values.length; j++) {
      total += Math.abs(values[i]! - values[j]!);
      pairs++;
    }
  }
  return total / pairs;
}
