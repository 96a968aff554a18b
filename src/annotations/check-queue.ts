import type { AnnotationRules } from '../../schemas/experiment.ts';
import type { RunMetrics } from '../../schemas/metrics.ts';
import type { Queue } from '../../schemas/queue.ts';
import { countNoun } from '../text/count-noun.ts';

/** What a queue's run offers: its trace ids and the names of its automated scores (metrics.json). */
interface QueueRunFacts {
  /**
   * Null when they are not read yet: the site knows them only after its data pass, which writes
   * each run's trace ids, and judges listed traces then (site/build/site-queues.ts).
   */
  traceIds: ReadonlySet<string> | null;
  /** Null when metrics.json could not be read (validate reports that on its own). */
  scores: ReadonlySet<string> | null;
}

/** The scores a `fails` selection may name: those the run's metrics.json summarises (null: none read). */
export function queueScoreNames(metrics: Pick<RunMetrics, 'scores'> | null): ReadonlySet<string> | null {
  return metrics ? new Set(Object.keys(metrics.scores)) : null;
}

/** One reason a queue that the schema accepts still cannot be reviewed. */
export interface QueueProblem {
  /** Where in the file, e.g. `['collect', 'labels', 0]`. */
  path: Array<string | number>;
  message: string;
}

/**
 * What makes a schema-valid queue unusable on the site: a collected name experiment.yaml does
 * not declare (the form would have no values or range to offer) or declares as the other kind
 * (every answer would be refused), an overlap larger than the reviewers who share each trace,
 * a `fails` score the run does not have (the queue would be empty), and listed traces the run
 * does not hold. Pure; `rules` is undefined when experiment.yaml is unreadable, `run` when the run
 * itself is missing (reported apart). `labbook validate` and the site build both ask this, so what
 * one refuses the other does not offer.
 */
export function queueProblems(queue: Queue, rules: AnnotationRules | undefined, run: QueueRunFacts | undefined): QueueProblem[] {
  const problems: QueueProblem[] = [];
  // Without readable rules (experiment.yaml's own errors are reported apart) names are not judged.
  const kinds = !rules
    ? []
    : ([
        { kind: 'label', field: 'labels', names: queue.collect.labels, same: rules.labels, other: rules.metrics },
        { kind: 'metric', field: 'metrics', names: queue.collect.metrics, same: rules.metrics, other: rules.labels },
      ] as const);
  for (const { kind, field, names, same, other } of kinds) {
    names.forEach((name, i) => {
      if (Object.hasOwn(same, name)) return;
      const message = Object.hasOwn(other, name)
        ? `"${name}" is declared as a ${kind === 'label' ? 'metric' : 'label'} in experiment.yaml; collect it under ${kind === 'label' ? 'metrics' : 'labels'}`
        : `"${name}" is not declared under annotations.${field} in experiment.yaml, so the review form cannot offer its ${kind === 'label' ? 'values' : 'range'}`;
      problems.push({ path: ['collect', field, i], message });
    });
  }
  if (queue.reviewers.length > 0 && queue.overlap > queue.reviewers.length)
    problems.push({
      path: ['overlap'],
      message: `is ${queue.overlap} but the queue names ${countNoun(queue.reviewers.length, 'reviewer')}; each trace can be judged by at most that many`,
    });
  if (!run) return problems;
  const select = queue.select;
  if ('fails' in select && run.scores && !run.scores.has(select.fails)) {
    const known = [...run.scores].sort();
    problems.push({
      path: ['select', 'fails'],
      message: `run ${queue.run} has no score "${select.fails}" (${known.length > 0 ? `its scores: ${known.map((n) => `"${n}"`).join(', ')}` : 'it has no scores'})`,
    });
  }
  const { traceIds } = run;
  if ('traces' in select && traceIds) {
    select.traces.forEach((id, i) => {
      if (!traceIds.has(id))
        problems.push({
          path: ['select', 'traces', i],
          message: `no trace "${id}" in run ${queue.run} (it has ${countNoun(traceIds.size, 'trace')})`,
        });
    });
  }
  return problems;
}
