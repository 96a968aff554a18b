import type { Problem } from '../errors/problem.ts';
import type { AnnotationEntry } from './annotation-entry.ts';

interface CrossCheckOptions {
  /**
   * `check` reports the newer of two entries by one author for the same run, trace and name
   * as an error (in a pull request that is the one being added); `load` keeps the newer one as
   * the author's current judgement and reports the older one as superseded (a warning).
   */
  mode: 'check' | 'load';
  /** Paths reported in problems: the data-relative `entry.file` → the path a user opens. */
  pathOf: (entry: AnnotationEntry) => string;
  /** In `check` mode, entries of files a pull request changes are the ones to blame first. */
  isChanged?: (entry: AnnotationEntry) => boolean;
}

interface CrossCheckResult {
  kept: AnnotationEntry[];
  problems: Problem[];
}

/**
 * The checks that need every entry of an experiment at once: one author judging the same
 * trace and name twice, and one name used as a metric in one place and as a label in another
 * (names that `experiment.yaml` declares are already held to their kind). Pure.
 */
export function crossCheckEntries(entries: readonly AnnotationEntry[], options: CrossCheckOptions): CrossCheckResult {
  const problems: Problem[] = [];
  const dropped = new Set<AnnotationEntry>();
  const where = (e: AnnotationEntry) => `${options.pathOf(e)}:${e.line}`;
  const problem = (severity: Problem['severity'], e: AnnotationEntry, message: string): Problem => ({
    severity,
    file: options.pathOf(e),
    line: e.line || undefined,
    column: e.column || undefined,
    field: 'author',
    message,
  });

  const byKey = new Map<string, AnnotationEntry>();
  for (const entry of entries) {
    const key = JSON.stringify([entry.run, entry.trace, entry.name, authorKey(entry.author)]);
    const earlier = byKey.get(key);
    if (!earlier) {
      byKey.set(key, entry);
      continue;
    }
    if (options.mode === 'check') {
      const [first, second] = blameOrder(earlier, entry, options.isChanged);
      problems.push(
        problem(
          'error',
          second,
          `"${second.author}" already annotated "${second.name}" of trace ${second.trace} in run ${second.run} at ${where(first)}; one judgement per author: edit that entry instead`,
        ),
      );
      dropped.add(second);
      byKey.set(key, first);
    } else {
      const [older, newer] = newerLast(earlier, entry);
      problems.push(
        problem(
          'warning',
          older,
          `superseded by a later entry of "${older.author}" for "${older.name}" of trace ${older.trace} at ${where(newer)}; only the later one counts`,
        ),
      );
      dropped.add(older);
      byKey.set(key, newer);
    }
  }

  const firstKind = new Map<string, AnnotationEntry>();
  for (const entry of entries) {
    if (dropped.has(entry)) continue;
    const first = firstKind.get(entry.name);
    if (!first) firstKind.set(entry.name, entry);
    else if (first.kind !== entry.kind) {
      const p = problem(
        'error',
        entry,
        `"${entry.name}" is a ${first.kind} at ${where(first)} but a ${entry.kind} here; a name is either a metric (numbers) or a label (text)`,
      );
      problems.push({ ...p, field: 'value' });
      dropped.add(entry);
    }
  }
  return { kept: entries.filter((e) => !dropped.has(e)), problems };
}

/**
 * Authors are people: "Ada Lovelace", "ada lovelace " and "Ａｄａ Lovelace" (full-width letters,
 * folded by NFKC) are the same one.
 */
export function authorKey(author: string): string {
  return author.normalize('NFKC').trim().replace(/\s+/g, ' ').toLowerCase();
}

function newerLast(a: AnnotationEntry, b: AnnotationEntry): [AnnotationEntry, AnnotationEntry] {
  const ta = Date.parse(a.at);
  const tb = Date.parse(b.at);
  if (ta !== tb) return ta < tb ? [a, b] : [b, a];
  return [a, b]; // same time: file order decides (b was read after a)
}

function blameOrder(
  a: AnnotationEntry,
  b: AnnotationEntry,
  isChanged?: (e: AnnotationEntry) => boolean,
): [AnnotationEntry, AnnotationEntry] {
  if (isChanged) {
    const ca = isChanged(a);
    const cb = isChanged(b);
    if (ca !== cb) return ca ? [b, a] : [a, b];
  }
  return newerLast(a, b);
}
