import type { AnnotationRules } from '../../schemas/experiment.ts';
import { HIDDEN_CHARACTERS, HIDDEN_CHARACTERS_MESSAGE, HIDDEN_IN_PROSE } from '../../schemas/hidden-characters.ts';
import { lookAlikeProblem } from '../text/look-alike-letters.ts';

/** What the experiment's rules say about one entry; `field` is the entry's key to point at. */
export interface RuleIssue {
  severity: 'error' | 'warning';
  field: 'run' | 'trace' | 'name' | 'value' | 'author' | 'note';
  message: string;
}

interface RuleCheckedEntry {
  run?: unknown;
  trace?: unknown;
  name: string;
  value: number | string;
  author?: unknown;
  note?: unknown;
}

/**
 * Checks an entry that already has the right shape against `experiment.yaml`'s `annotations`
 * rules: a declared label must use one of its values, a declared metric must be a number in
 * its range, and neither may be given the other kind of value. A name the experiment does not
 * declare is allowed (a warning when the experiment declares some, since it is likely a typo).
 * Pure and free of Node imports: the site's form uses it too.
 */
export function checkEntryRules(entry: RuleCheckedEntry, rules: AnnotationRules): RuleIssue[] {
  const issues: RuleIssue[] = [];
  for (const field of ['run', 'trace', 'name', 'author'] as const) {
    const text = entry[field];
    if (typeof text === 'string' && HIDDEN_CHARACTERS.test(text)) {
      issues.push({ severity: 'error', field, message: HIDDEN_CHARACTERS_MESSAGE });
    }
  }
  // An author is a person: a name made to look like someone else's would count as another
  // rater beside them, or pass in review as theirs.
  const lookAlike = typeof entry.author === 'string' && !HIDDEN_CHARACTERS.test(entry.author) ? lookAlikeProblem(entry.author) : null;
  if (lookAlike) issues.push({ severity: 'error', field: 'author', message: lookAlike });
  if (typeof entry.value === 'string' && HIDDEN_CHARACTERS.test(entry.value)) {
    issues.push({ severity: 'error', field: 'value', message: HIDDEN_CHARACTERS_MESSAGE });
    return issues;
  }
  if (typeof entry.note === 'string' && HIDDEN_IN_PROSE.test(entry.note)) {
    issues.push({
      severity: 'error',
      field: 'note',
      message: 'contains control or bidirectional-override characters (line breaks and tabs are fine)',
    });
  }
  if (typeof entry.value === 'string' && entry.value !== entry.value.trim()) {
    issues.push({ severity: 'error', field: 'value', message: `label ${JSON.stringify(entry.value)} starts or ends with spaces` });
    return issues; // its membership in the allowed labels would only repeat the same mistake
  }

  const labels = Object.hasOwn(rules.labels, entry.name) ? rules.labels[entry.name] : undefined;
  const metric = Object.hasOwn(rules.metrics, entry.name) ? rules.metrics[entry.name] : undefined;
  if (labels) {
    if (typeof entry.value !== 'string') {
      issues.push({
        severity: 'error',
        field: 'value',
        message: `"${entry.name}" is a label: use one of ${listValues(labels)} (got the number ${entry.value})`,
      });
    } else if (!labels.includes(entry.value)) {
      issues.push({
        severity: 'error',
        field: 'value',
        message: `${JSON.stringify(entry.value)} is not an allowed "${entry.name}" label; use one of ${listValues(labels)}`,
      });
    }
  } else if (metric) {
    if (typeof entry.value !== 'number') {
      issues.push({
        severity: 'error',
        field: 'value',
        // "remove the quotes" only helps when the text is a number someone quoted ("0.5").
        message: `"${entry.name}" is a metric: the value must be a number${describeRange(metric)} (got the text ${JSON.stringify(entry.value)}${looksNumeric(entry.value) ? '; remove the quotes' : ''})`,
      });
    } else if ((metric.min !== undefined && entry.value < metric.min) || (metric.max !== undefined && entry.value > metric.max)) {
      issues.push({
        severity: 'error',
        field: 'value',
        message: `${entry.value} is outside the range of "${entry.name}"${describeRange(metric)}`,
      });
    }
  } else {
    const declared = [...Object.keys(rules.labels), ...Object.keys(rules.metrics)];
    if (declared.length > 0) {
      issues.push({
        severity: 'warning',
        field: 'name',
        message: `"${entry.name}" is not declared in experiment.yaml (declared: ${declared.join(', ')})`,
      });
    }
  }
  return issues;
}

function looksNumeric(text: string): boolean {
  return text.trim() !== '' && Number.isFinite(Number(text));
}

function listValues(values: string[]): string {
  return values.map((v) => JSON.stringify(v)).join(', ');
}

function describeRange(metric: { min?: number; max?: number }): string {
  if (metric.min !== undefined && metric.max !== undefined) return ` in [${metric.min}, ${metric.max}]`;
  if (metric.min !== undefined) return ` ≥ ${metric.min}`;
  if (metric.max !== undefined) return ` ≤ ${metric.max}`;
  return '';
}
