import { existsSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { isAbsolute, join, relative, sep } from 'node:path';
import type { Problem } from '../errors/problem.ts';
import { parseYaml } from '../store/yaml.ts';
import type { AnnotationEntry } from './annotation-entry.ts';
import { authorKey } from './cross-check.ts';
import { readAtBase, type ChangedPath, type ChangeStatus } from './git-changes.ts';
import { ANNOTATION_LIMITS } from './limits.ts';
import { fieldPosition } from './parse-annotation-file.ts';

// What a change (a pull request) does to annotation files against its base, for
// `labbook annotations check --base`: the entries it adds, the judgements it edits or moves
// (warned about: only their author may change them), what it removes, and annotation files put
// outside an annotations folder.

/** A valid entry that the change adds, with its file's path as shown in the report. */
export interface AddedAnnotation extends AnnotationEntry {
  path: string;
}

/**
 * A valid entry that replaces one recorded at the base by the same author for the same run,
 * trace and name, in the same file or moved from another one: the judgement was edited (or
 * moved), not added. `before` is what the base recorded.
 */
interface ChangedAnnotation extends AddedAnnotation {
  before: { value: number | string; at: string; note?: string };
}

export interface AnnotationChanges {
  base: string;
  files: { path: string; status: ChangeStatus; added: number; changed: number }[];
  added: AddedAnnotation[];
  /** Recorded judgements the change edits (same author, run, trace and name; new value, time or note). */
  changed: ChangedAnnotation[];
  /** Entries at the base that the change edits or removes. */
  removed: number;
}

export const OUTSIDE_MESSAGE = 'is outside an annotations folder: annotation files go in <data>/<experiment>/annotations/<name>.yaml';

export interface DescribeContext {
  dataDir: string;
  valid: AnnotationEntry[];
  problems: Problem[];
  show: (path: string) => string;
}

/**
 * What the change from `base` does to each changed path under `rootDir`. `ctx.valid` are the
 * entries the check found valid (the added and edited ones are among them); warnings about
 * edits, removals and files put outside an annotations folder go to `ctx.problems`, in the
 * order of `changed`.
 */
export async function describeChanges(
  rootDir: string,
  base: string,
  changed: ChangedPath[],
  ctx: DescribeContext,
): Promise<AnnotationChanges> {
  const changes: AnnotationChanges = { base, files: [], added: [], changed: [], removed: 0 };
  // Problems in file order, each file's edits before what it removes (flushed at the end).
  const found = new Map<string, Problem[]>();
  const say = (file: string, problem: Problem) => found.set(file, [...(found.get(file) ?? []), problem]);
  const seen: { abs: string; file: string; status: ChangeStatus; baseKeys: Map<string, number>; removed: number }[] = [];
  // Base entries that left their file, by who judged what, from every changed file: an entry
  // with the same identity, in the same file or another one, edits (or moves) that judgement.
  const gone = new Map<string, GoneItem[]>();
  for (const change of changed) {
    const abs = join(rootDir, ...change.path.split('/'));
    const parts = relative(ctx.dataDir, abs).split(sep);
    const insideData = parts[0] !== '..' && !isAbsolute(parts[0] ?? '');
    const isAnnotationFile = insideData && parts.length === 3 && parts[1] === 'annotations' && parts[2]!.endsWith('.yaml');
    if (!isAnnotationFile) {
      const underAnnotations = insideData && parts[1] === 'annotations';
      if (!underAnnotations && change.status !== 'deleted' && /\.ya?ml$/i.test(abs) && (await looksLikeAnnotations(abs))) {
        say(abs, { severity: 'error', file: ctx.show(abs), message: OUTSIDE_MESSAGE });
      }
      continue;
    }
    const before = await readAtBase(rootDir, base, change.path, ANNOTATION_LIMITS.fileBytes);
    const baseItems = before === null ? [] : rawItems(before);
    const baseKeys = countKeys(baseItems);
    const current = change.status === 'deleted' ? [] : rawItems(await readFile(abs, 'utf8').catch(() => ''));
    const remaining = new Map(baseKeys);
    for (const item of current) {
      const key = entryKey(item);
      const left = remaining.get(key) ?? 0;
      if (left > 0) remaining.set(key, left - 1);
    }
    const removed = [...remaining.values()].reduce((a, b) => a + b, 0);
    changes.removed += removed;
    for (const [identity, items] of baseItemsLeft(baseItems, remaining)) {
      gone.set(identity, [...(gone.get(identity) ?? []), ...items.map((item) => ({ item, abs }))]);
    }
    seen.push({ abs, file: parts.join('/'), status: change.status, baseKeys, removed });
  }

  const matchedFrom = new Map<string, number>();
  for (const { abs, file, status, baseKeys } of seen) {
    if (status === 'deleted') continue;
    const unmatched = new Map(baseKeys);
    let added = 0;
    let edited = 0;
    for (const entry of ctx.valid) {
      if (entry.file !== file) continue;
      const key = entryKey(entry);
      const left = unmatched.get(key) ?? 0;
      if (left > 0) {
        unmatched.set(key, left - 1);
        continue;
      }
      const earlier = gone.get(identityKey(entry))?.shift();
      if (earlier) {
        matchedFrom.set(earlier.abs, (matchedFrom.get(earlier.abs) ?? 0) + 1);
        const was = {
          value: earlier.item.value as number | string,
          at: String(earlier.item.at),
          ...(earlier.item.note ? { note: String(earlier.item.note) } : {}),
        };
        changes.changed.push({ ...entry, path: ctx.show(abs), before: was });
        edited++;
        const at = fieldPosition(entry, 'value');
        const moved = earlier.abs === abs ? [] : [`moved from ${ctx.show(earlier.abs)}`];
        say(abs, {
          severity: 'warning',
          file: ctx.show(abs),
          line: at.line || undefined,
          column: at.column || undefined,
          field: 'value',
          message: `changes the judgement "${entry.author}" recorded for "${entry.name}" of trace ${entry.trace} (${[...moved, describeEdit(was, entry, moved.length > 0)].filter(Boolean).join(', ')}); only its author may change it: confirm with them before merging`,
        });
      } else {
        changes.added.push({ ...entry, path: ctx.show(abs) });
        added++;
      }
    }
    changes.files.push({ path: ctx.show(abs), status, added, changed: edited });
  }

  for (const { abs, status, baseKeys, removed } of seen) {
    const left = removed - (matchedFrom.get(abs) ?? 0);
    if (status === 'deleted') {
      const count = [...baseKeys.values()].reduce((a, b) => a + b, 0);
      changes.files.push({ path: ctx.show(abs), status, added: 0, changed: 0 });
      if (left > 0)
        say(abs, {
          severity: 'warning',
          file: ctx.show(abs),
          message:
            left === count
              ? `deletes this file and its ${count} entr${count === 1 ? 'y' : 'ies'}; judgements are kept in git history but no longer shown`
              : `deletes this file and ${left} of its ${count} entries (the others moved); judgements are kept in git history but no longer shown`,
        });
    } else if (left > 0) {
      say(abs, {
        severity: 'warning',
        file: ctx.show(abs),
        message: `edits or removes ${left} entr${left === 1 ? 'y' : 'ies'} recorded earlier; to change a judgement, edit your own entry and leave others' entries as they are`,
      });
    }
  }
  changes.files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  for (const change of changed) ctx.problems.push(...(found.get(join(rootDir, ...change.path.split('/'))) ?? []));
  return changes;
}

/** A base entry no longer in its file, and the file it was in. */
interface GoneItem {
  item: Record<string, unknown>;
  abs: string;
}

/** Who judged what: an entry edited in place keeps this and changes its value, time or note. */
function identityKey(item: object): string {
  const get = (k: string) => (item as Record<string, unknown>)[k];
  const author = get('author');
  return JSON.stringify([get('run'), get('trace'), get('name'), typeof author === 'string' ? authorKey(author) : null]);
}

/** The base's items that are no longer in the file (as counted in `remaining`), by identity. */
function baseItemsLeft(items: Record<string, unknown>[], remaining: Map<string, number>): Map<string, Record<string, unknown>[]> {
  const left = new Map(remaining);
  const byIdentity = new Map<string, Record<string, unknown>[]>();
  for (const item of items) {
    const key = entryKey(item);
    const count = left.get(key) ?? 0;
    if (count === 0) continue;
    left.set(key, count - 1);
    byIdentity.set(identityKey(item), [...(byIdentity.get(identityKey(item)) ?? []), item]);
  }
  return byIdentity;
}

/** "value 0.4 → 0.45", "note edited", …: what an edit changed. */
function describeEdit(before: ChangedAnnotation['before'], after: AnnotationEntry, moved = false): string {
  const parts: string[] = [];
  if (before.value !== after.value) parts.push(`value ${JSON.stringify(before.value)} → ${JSON.stringify(after.value)}`);
  if ((before.note ?? '') !== (after.note ?? '')) parts.push('note edited');
  if (before.at !== after.at) parts.push(`at ${before.at} → ${after.at}`);
  return parts.join(', ') || (moved ? '' : 'rewritten');
}

/** A file whose items carry `run`, `trace` and `value` is meant as annotations, wherever it was put. */
async function looksLikeAnnotations(abs: string): Promise<boolean> {
  if (!existsSync(abs) || statSync(abs).size > ANNOTATION_LIMITS.fileBytes) return false;
  const items = rawItems(await readFile(abs, 'utf8'));
  return items.some((item) => item !== null && typeof item === 'object' && 'run' in item && 'trace' in item && 'value' in item);
}

/** The list items of a YAML text, or none when it does not parse (other checks report that). */
function rawItems(text: string): Record<string, unknown>[] {
  try {
    const value = parseYaml(text, 'x.yaml');
    return Array.isArray(value)
      ? value.filter((v): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v))
      : [];
  } catch {
    return [];
  }
}

function entryKey(item: object): string {
  return JSON.stringify(['run', 'trace', 'name', 'value', 'author', 'at', 'note'].map((k) => (item as Record<string, unknown>)[k] ?? null));
}

function countKeys(items: Record<string, unknown>[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const item of items) counts.set(entryKey(item), (counts.get(entryKey(item)) ?? 0) + 1);
  return counts;
}
