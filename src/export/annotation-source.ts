import { annotationsForRuns } from '../annotations/annotations-for-runs.ts';
import { indexAnnotations } from '../compare/annotation-index.ts';
import type { Problem } from '../errors/problem.ts';
import type { AnnotationSource } from './export-csv.ts';

/**
 * Annotation columns for a run's traces CSV, from the experiment's `annotations/*.yaml`: each
 * trace's judgements reduced as the compare engine reduces them (the mean of numbers, else the
 * most frequent label). Files or entries that cannot be used are reported through `onProblem`
 * and left out; the rest still come through.
 */
export function experimentAnnotations(dataDir: string, onProblem: (problem: Problem) => void = () => {}): AnnotationSource {
  return async (run) => {
    const { entries } = await annotationsForRuns(dataDir, run.experiment, [run.id], { onProblem });
    if (entries.length === 0) return undefined;
    const index = indexAnnotations(entries);
    return { names: [...index.names.keys()].sort(), get: (traceId) => index.get(run.id, traceId) };
  };
}
