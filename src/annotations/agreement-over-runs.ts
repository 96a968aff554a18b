import type { Annotation } from '../../schemas/annotation.ts';
import type { AnnotationRules } from '../../schemas/experiment.ts';
import { annotationKind, type AnnotationEntry } from './annotation-entry.ts';
import { summarizeAnnotations, type NameAgreement } from './summarize-annotations.ts';

/**
 * How far people agree on each annotation name over some runs together (κ, Krippendorff's α,
 * the spread of scores), from annotations as a comparison holds them: `labbook compare` and the
 * report say it as the site's compare page does.
 */
export function agreementOverRuns(annotations: readonly Annotation[], runIds: readonly string[], rules?: AnnotationRules): NameAgreement[] {
  const wanted = new Set(runIds);
  const entries = annotations.filter((a) => wanted.has(a.run)).map(asEntry);
  return summarizeAnnotations(entries, { runIds, ...(rules ? { rules } : {}) }).agreement;
}

/**
 * A compared annotation as the summariser takes it. Agreement reads who judged which trace how,
 * and when; the file position, which the comparison's input leaves out, only points at a file.
 */
function asEntry(annotation: Annotation): AnnotationEntry {
  return { ...annotation, experiment: '', kind: annotationKind(annotation.value), file: '', line: 0, column: 0 };
}
