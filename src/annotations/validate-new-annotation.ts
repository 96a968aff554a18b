import { annotationSchema } from '../../schemas/annotation.ts';
import type { AnnotationRules } from '../../schemas/experiment.ts';
import { checkEntryRules, type RuleIssue } from './entry-rules.ts';
import type { NewAnnotation } from './entry-yaml.ts';

export interface NewAnnotationIssue {
  severity: 'error' | 'warning';
  field: string;
  message: string;
}

/**
 * Checks an annotation about to be written (by `labbook annotate` or the site's form) with the
 * same schema and rules as `labbook annotations check`, so what either produces passes the
 * check. Does not know whether the run and trace exist: the caller does. No Node imports.
 */
export function validateNewAnnotation(entry: NewAnnotation, rules: AnnotationRules): NewAnnotationIssue[] {
  if (typeof entry.value === 'number' && !Number.isFinite(entry.value)) {
    return [{ severity: 'error', field: 'value', message: 'a metric must be a finite number' }];
  }
  const parsed = annotationSchema.safeParse(entry);
  if (!parsed.success) {
    return parsed.error.issues.map((issue) => ({ severity: 'error', field: String(issue.path[0] ?? 'entry'), message: issue.message }));
  }
  return checkEntryRules(parsed.data, rules).map((issue: RuleIssue) => ({ ...issue }));
}
