import type { Annotation } from '../../schemas/annotation.ts';

/** A number makes a metric, a string makes a label. */
export type AnnotationKind = 'metric' | 'label';

/**
 * One valid annotation as read from its file, with where it was read: `file` is relative to
 * the data folder with `/` separators (`demo/annotations/ada.yaml`), so it is the same on every
 * machine and can be joined to a repository URL; `line` and `column` are 1-based.
 */
export interface AnnotationEntry extends Annotation {
  experiment: string;
  kind: AnnotationKind;
  file: string;
  line: number;
  column: number;
}

export function annotationKind(value: number | string): AnnotationKind {
  return typeof value === 'number' ? 'metric' : 'label';
}
