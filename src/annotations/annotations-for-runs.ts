import type { AnnotationRules } from '../../schemas/experiment.ts';
import { readExperiment } from '../store/experiments.ts';
import type { Problem } from '../errors/problem.ts';
import type { AnnotationEntry } from './annotation-entry.ts';
import { loadAnnotations } from './load-annotations.ts';
import { summarizeAnnotations, type AnnotationSummary } from './summarize-annotations.ts';

export interface AnnotationsForRuns extends AnnotationSummary {
  /** The valid entries of these runs, in file then line order (pass them to `compareRuns`). */
  entries: AnnotationEntry[];
  rules: AnnotationRules;
}

/**
 * The annotations of some runs of an experiment, read and summarised for display: entries,
 * per-run → per-trace → per-name summaries, agreement between annotators and the list of
 * disagreements. Bad files and entries are reported through `onProblem` and skipped; the good
 * ones always come through. The one call the site, the compare command and exports need.
 */
export async function annotationsForRuns(
  dataDir: string,
  experiment: string,
  runIds: readonly string[],
  options: { onProblem: (problem: Problem) => void; metricTolerance?: number },
): Promise<AnnotationsForRuns> {
  const rules = (await readExperiment(dataDir, experiment)).annotations;
  const wanted = new Set(runIds);
  const entries = (await loadAnnotations(dataDir, experiment, { rules, onProblem: options.onProblem })).filter((e) => wanted.has(e.run));
  return { entries, rules, ...summarizeAnnotations(entries, { runIds, rules, metricTolerance: options.metricTolerance }) };
}
