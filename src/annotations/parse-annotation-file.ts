import { annotationSchema } from '../../schemas/annotation.ts';
import type { AnnotationRules } from '../../schemas/experiment.ts';
import { FileFormatError } from '../errors/index.ts';
import { parseYaml } from '../store/yaml.ts';
import { describeZodIssue } from '../json/zod-issue.ts';
import type { Problem } from '../errors/problem.ts';
import { annotationKind, type AnnotationEntry } from './annotation-entry.ts';
import { checkEntryRules } from './entry-rules.ts';
import { ANNOTATION_LIMITS } from './limits.ts';
import { locateListItems, type TextPosition } from './list-item-positions.ts';
import { countNoun } from '../text/count-noun.ts';

interface AnnotationFileSource {
  /** The path problems are reported under (as the user would open it). */
  path: string;
  /** The path relative to the data folder, with `/`, recorded on each entry. */
  file: string;
  experiment: string;
}

interface ParsedAnnotationFile {
  /** The valid entries, in file order. */
  entries: AnnotationEntry[];
  problems: Problem[];
  /** True when the file as a whole could not be read (syntax, not a list, too big): no entry was kept. */
  unreadable: boolean;
  /** Entries in the file, valid or not (0 when unreadable). */
  total: number;
  /** The run and trace each rejected entry names, so the check can still say when they do not exist. */
  rejected: RejectedReference[];
}

/** The run and trace of an entry refused for other reasons, with where each was written. */
export interface RejectedReference {
  run: string;
  trace: string;
  at: { run?: TextPosition; trace?: TextPosition };
}

/** Where each field of a parsed entry was written; kept aside so entries stay plain data. */
const fieldPositions = new WeakMap<AnnotationEntry, Map<string, TextPosition>>();

/** The line and column of one field of an entry read by `parseAnnotationFile`, else of the entry. */
export function fieldPosition(entry: AnnotationEntry, field: string): TextPosition {
  return fieldPositions.get(entry)?.get(field) ?? { line: entry.line, column: entry.column };
}

const KNOWN_FIELDS = new Set(Object.keys(annotationSchema.shape));

/**
 * Reads one annotation file's text: YAML syntax (no aliases, no duplicate keys), a list of
 * entries, each entry's schema and the experiment's rules. A bad entry is reported at its own
 * line and column and left out; the good ones are kept. A file that is not YAML, not a list, or
 * over the size limits is reported once and yields nothing. Pure: no I/O.
 */
export function parseAnnotationFile(text: string, source: AnnotationFileSource, rules: AnnotationRules): ParsedAnnotationFile {
  const unreadable = (problem: Omit<Problem, 'severity' | 'file'>): ParsedAnnotationFile => ({
    entries: [],
    problems: [{ severity: 'error', file: source.path, ...problem }],
    unreadable: true,
    total: 0,
    rejected: [],
  });
  if (text.length > ANNOTATION_LIMITS.fileBytes) {
    return unreadable({ message: `file is larger than ${ANNOTATION_LIMITS.fileBytes} bytes; split it into several files` });
  }
  const body = text.startsWith('\uFEFF') ? text.slice(1) : text;
  let value: unknown;
  try {
    value = parseYaml(body, source.path);
  } catch (error) {
    if (!(error instanceof FileFormatError)) throw error;
    return unreadable({ line: error.location.line, column: error.location.column, message: error.detail });
  }
  if (value === undefined || value === null) return { entries: [], problems: [], unreadable: false, total: 0, rejected: [] };
  if (!Array.isArray(value)) {
    return unreadable({
      line: 1,
      column: 1,
      message: `expected a YAML list of annotations (each starting with "- "), got ${typeof value === 'object' ? 'a mapping' : `a ${typeof value}`}`,
    });
  }
  if (value.length > ANNOTATION_LIMITS.entriesPerFile) {
    return unreadable({
      line: 1,
      column: 1,
      message: `${value.length} entries is more than ${ANNOTATION_LIMITS.entriesPerFile} per file; split it into several files`,
    });
  }

  const positions = locateListItems(body);
  const entries: AnnotationEntry[] = [];
  const problems: Problem[] = [];
  const rejected: RejectedReference[] = [];
  for (const [index, item] of value.entries()) {
    const at = positions?.[index];
    const report = (severity: Problem['severity'], field: string | undefined, message: string) => {
      const where: TextPosition | undefined = (field !== undefined ? at?.fields.get(field) : undefined) ?? at;
      problems.push({
        severity,
        file: source.path,
        line: where?.line,
        column: where?.column,
        field: field ?? `entry ${index + 1}`,
        message,
      });
    };
    const entry = checkItem(item, rules, report);
    if (!entry) {
      const { run, trace } = (item ?? {}) as Record<string, unknown>;
      if (typeof run === 'string' && typeof trace === 'string' && run && trace)
        rejected.push({ run, trace, at: { run: at?.fields.get('run'), trace: at?.fields.get('trace') } });
      continue;
    }
    // line 0: the positions could not be recovered (see locateListItems); the entry is still good
    const located: AnnotationEntry = {
      ...entry,
      experiment: source.experiment,
      kind: annotationKind(entry.value),
      file: source.file,
      line: at?.line ?? 0,
      column: at?.column ?? 0,
    };
    if (at) fieldPositions.set(located, at.fields);
    entries.push(located);
  }
  return { entries, problems: capProblems(problems, source.path), unreadable: false, total: value.length, rejected };
}

type Report = (severity: Problem['severity'], field: string | undefined, message: string) => void;

/** One list item → a valid annotation, or undefined after reporting why not. */
function checkItem(item: unknown, rules: AnnotationRules, report: Report) {
  if (item === null || typeof item !== 'object' || Array.isArray(item)) {
    report(
      'error',
      undefined,
      `each entry must be a mapping of run, trace, name, value, author, at (got ${Array.isArray(item) ? 'a list' : JSON.stringify(item)})`,
    );
    return undefined;
  }
  const record = item as Record<string, unknown>;
  for (const key of Object.keys(record)) {
    if (!KNOWN_FIELDS.has(key)) report('warning', key, `unknown field "${key}" is ignored (fields: ${[...KNOWN_FIELDS].join(', ')})`);
  }
  let bad = false;
  const valueProblem = describeBadValue(record.value, Object.hasOwn(record, 'value'));
  if (valueProblem) {
    report('error', 'value', valueProblem);
    bad = true;
  }
  const parsed = annotationSchema.safeParse(record);
  const schemaFields = new Set<string | undefined>(valueProblem ? ['value'] : []);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const field = typeof issue.path[0] === 'string' ? issue.path[0] : undefined;
      if (schemaFields.has(field) && field === 'value') continue;
      schemaFields.add(field);
      report('error', field, describeFieldIssue(issue, record, field));
    }
  }
  // The rules still judge a name and value the schema accepted, so a bad `at` does not hide a
  // quoted "0.5": every problem of the entry at once, one per field.
  const name = record.name;
  const value = record.value;
  if (typeof name === 'string' && (typeof value === 'string' || typeof value === 'number') && !schemaFields.has('name')) {
    for (const issue of checkEntryRules({ ...record, name, value }, rules)) {
      if (schemaFields.has(issue.field)) continue;
      report(issue.severity, issue.field, issue.message);
      if (issue.severity === 'error') bad = true;
    }
  }
  return bad || !parsed.success ? undefined : parsed.data;
}

/** `value` gets words of its own: YAML makes NaN, infinities and booleans out of innocent-looking text. */
function describeBadValue(value: unknown, present: boolean): string | undefined {
  if (!present || value === null) return 'is missing: give a number (a metric) or a text (a label)';
  if (typeof value === 'number' && !Number.isFinite(value)) {
    const written = Number.isNaN(value) ? '.nan' : value > 0 ? '.inf' : '-.inf';
    return `${written} is not a finite number; a metric must be a finite number`;
  }
  if (typeof value === 'boolean') return `${value} is neither a metric nor a label: write 1 or 0, or a label such as "approved"`;
  if (typeof value === 'object') return `must be a number or a text label, not ${Array.isArray(value) ? 'a list' : 'a mapping'}`;
  return undefined;
}

function describeFieldIssue(
  issue: Parameters<typeof describeZodIssue>[0],
  record: Record<string, unknown>,
  field: string | undefined,
): string {
  if (field && !Object.hasOwn(record, field)) return 'is missing';
  if (field === 'at') return `must be an ISO time with a zone, such as 2026-01-31T12:00:00Z (got ${JSON.stringify(record.at)})`;
  if (issue.code === 'too_small' && record[field ?? ''] === '') return 'is empty';
  return describeZodIssue(issue, record).replace(/^Too big: expected string to have <=(\d+) characters/, 'is longer than $1 characters');
}

function capProblems(problems: Problem[], path: string): Problem[] {
  if (problems.length <= ANNOTATION_LIMITS.problemsPerFile) return problems;
  const kept = problems.slice(0, ANNOTATION_LIMITS.problemsPerFile);
  const dropped = problems.slice(kept.length);
  const severity = dropped.some((p) => p.severity === 'error') ? 'error' : 'warning';
  kept.push({ severity, file: path, message: `${countNoun(dropped.length, 'more problem')} in this file not shown` });
  return kept;
}
