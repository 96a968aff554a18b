import { authorSlug } from './annotation-file-name.ts';
import { existsSync, statSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import type { AnnotationRules } from '../../schemas/experiment.ts';
import { readExperiment, listExperiments } from '../store/store.ts';
import { runsDir } from '../store/layout.ts';
import { parseYaml } from '../store/yaml.ts';
import { problemFrom, type Problem } from '../errors/problem.ts';
import type { AnnotationEntry } from './annotation-entry.ts';
import { changedPaths, gitTopLevel, readAtBase, type ChangedPath, type ChangeStatus } from './git-changes.ts';
import { ANNOTATION_LIMITS } from './limits.ts';
import { readAnnotationFolder } from './load-annotations.ts';
import { fieldPosition } from './parse-annotation-file.ts';
import { authorKey } from './cross-check.ts';
import { ReferenceIndex } from './reference-index.ts';

export interface CheckAnnotationsOptions {
  /** The data folder (`experiments/`), absolute or relative to `cwd`. */
  dataDir: string;
  /** Paths in the report are relative to this folder when inside it. */
  cwd: string;
  /**
   * A git ref to compare with (a pull request's base). The report then lists the entries the
   * change adds, warns about entries it edits or removes, looks for annotation files put
   * outside `annotations/`, and counts errors only in the files the change touches (problems
   * already on the base become warnings, so an old mistake does not fail every new PR).
   */
  base?: string;
  /** The check's clock, for an `at` in the future (default: now). */
  now?: Date;
}

/**
 * How far ahead of the check's clock an `at` may be (clocks and time zones set wrong). Further
 * out it is refused: of two judgements of a trace by one author the later is read, so a
 * far-future `at` would win over every later correction for ever.
 */
const FUTURE_SLACK_MS = 60 * 60 * 1000;

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

/** `labbook annotations check --json`: stable, documented in docs/annotations.md. */
export interface AnnotationCheckReport {
  schemaVersion: 1;
  ok: boolean;
  files: number;
  entries: number;
  errors: number;
  warnings: number;
  problems: Problem[];
  changes: AnnotationChanges | null;
}

interface Target {
  dataDir: string;
  experiment: string;
  /** Only problems in these (displayed) paths are reported; null: the whole folder. */
  only: Set<string> | null;
}

/**
 * Checks annotation files: YAML, schema, the experiment's rules, duplicates, and that every
 * run and trace exists. Each path may be an annotation file, an `annotations/` folder, an
 * experiment folder or a data folder (default: `options.dataDir`). Collects every problem.
 */
export async function checkAnnotations(paths: readonly string[], options: CheckAnnotationsOptions): Promise<AnnotationCheckReport> {
  const cwd = resolve(options.cwd);
  const show = (path: string) => displayPath(cwd, path);
  const problems: Problem[] = [];
  const targets = new Map<string, Target>();
  const addTarget = (dataDir: string, experiment: string, only: string | null) => {
    const key = JSON.stringify([dataDir, experiment]);
    const target = targets.get(key);
    if (!target) targets.set(key, { dataDir, experiment, only: only === null ? null : new Set([only]) });
    else if (only === null) target.only = null;
    else target.only?.add(only);
  };

  let rootDir: string | null = null;
  let changed: ChangedPath[] = [];
  if (options.base) {
    rootDir = await gitTopLevel(cwd);
    changed = await changedPaths(rootDir, options.base);
  }

  for (const path of paths.length > 0 ? paths : [options.dataDir]) {
    await resolveTarget(resolve(cwd, path), path, { problems, show, addTarget });
  }

  const refs = new Map<string, ReferenceIndex>();
  const isChangedFile = (dataDir: string) => {
    if (!rootDir) return undefined;
    const set = new Set(changed.map((c) => join(rootDir!, ...c.path.split('/'))));
    return (file: string) => set.has(join(dataDir, ...file.split('/')));
  };
  const valid: AnnotationEntry[] = [];
  // The run folder each missing-run or missing-trace problem points at (as displayed)
  const runFolderOf = new Map<Problem, string>();
  let files = 0;
  for (const target of targets.values()) {
    const own: Problem[] = [];
    let rules: AnnotationRules;
    try {
      rules = (await readExperiment(target.dataDir, target.experiment)).annotations;
    } catch (error) {
      problems.push(problemFrom(error, show(join(target.dataDir, target.experiment, 'experiment.yaml'))));
      continue;
    }
    const folder = await readAnnotationFolder(target.dataDir, target.experiment, {
      rules,
      onProblem: (p) => own.push(p),
      displayPath: show,
      mode: 'check',
      isChangedFile: isChangedFile(target.dataDir),
    });
    let index = refs.get(target.dataDir);
    if (!index) refs.set(target.dataDir, (index = new ReferenceIndex(target.dataDir)));
    const latest = (options.now ?? new Date()).getTime() + FUTURE_SLACK_MS;
    /** An entry's run or trace that does not exist, remembering the run folder it names. */
    const missingReference = (
      file: string,
      line: number | undefined,
      column: number | undefined,
      missing: { field: 'run' | 'trace'; message: string },
      run: string,
    ): Problem => {
      const problem: Problem = { severity: 'error', file, line, column, field: missing.field, message: missing.message };
      runFolderOf.set(problem, show(join(runsDir(target.dataDir, target.experiment), run)));
      return problem;
    };
    for (const entry of folder.entries) {
      const missing = await index.problem(entry.experiment, entry.run, entry.trace);
      const future = Date.parse(entry.at) > latest;
      if (future) {
        const at = fieldPosition(entry, 'at');
        own.push({
          severity: 'error',
          file: show(join(target.dataDir, ...entry.file.split('/'))),
          line: at.line || undefined,
          column: at.column || undefined,
          field: 'at',
          message: `${entry.at} is in the future (the check's clock says ${new Date(latest - FUTURE_SLACK_MS).toISOString()}): a later time wins over every judgement made before it`,
        });
      }
      if (missing) {
        const at = fieldPosition(entry, missing.field);
        own.push(
          missingReference(
            show(join(target.dataDir, ...entry.file.split('/'))),
            at.line || undefined,
            at.column || undefined,
            missing,
            entry.run,
          ),
        );
      } else if (!future && (!target.only || target.only.has(show(join(target.dataDir, ...entry.file.split('/')))))) {
        valid.push(entry);
      }
    }
    // An entry refused for its value or time may also name a run or trace that does not exist: say so too.
    for (const reference of folder.rejected) {
      const missing = await index.problem(target.experiment, reference.run, reference.trace);
      if (!missing) continue;
      const at = reference.at[missing.field];
      own.push(missingReference(reference.path, at?.line, at?.column, missing, reference.run));
    }
    problems.push(...(target.only ? own.filter((p) => target.only!.has(p.file)) : own));
    files += target.only ? target.only.size : folder.files.length;
  }

  let changes: AnnotationChanges | null = null;
  if (options.base && rootDir) {
    changes = await describeChanges(rootDir, options.base, changed, { dataDir: resolve(cwd, options.dataDir), valid, problems, show });
    // Whose judgement an entry is, as a reviewer reads it, is the file it sits in: one added
    // under another name there is worth a second look (the tools write each author's own file).
    for (const entry of [...changes.added, ...changes.changed]) {
      if (inAuthorsFile(entry.path, entry.author)) continue;
      problems.push({
        severity: 'warning',
        file: entry.path,
        line: entry.line || undefined,
        column: entry.column || undefined,
        field: 'author',
        message: `judged by "${entry.author}" but written in ${basename(entry.path)}: each author's judgements go in their own file (${authorSlug(entry.author)}.yaml), so check that this one is theirs`,
      });
    }
    const touched = changed.map((c) => show(join(rootDir!, ...c.path.split('/'))));
    // a problem about a folder (a sub-folder of annotations/) is touched by any change inside it,
    // and a file is touched when the change replaces a folder above it (with a symbolic link, say)
    const isTouched = (file: string) => touched.some((path) => path === file || path.startsWith(`${file}/`) || file.startsWith(`${path}/`));
    for (const problem of problems) {
      if (problem.severity !== 'error' || isTouched(problem.file)) continue;
      // A change to the rules (experiment.yaml) can make others' untouched entries wrong: that
      // is this change's doing, not an old mistake, so it stays an error.
      const rules = experimentFileOf(problem.file);
      if (rules && isTouched(rules)) {
        problem.message = `${problem.message} [the change to ${rules} makes it so]`;
        continue;
      }
      // Removing or rewriting a run leaves every judgement of it pointing at nothing.
      const runFolder = runFolderOf.get(problem);
      if (runFolder && isTouched(runFolder)) {
        problem.message = `${problem.message} [the change removes or rewrites ${runFolder}, so this judgement would point at nothing: keep the run, or remove its judgements in the same change]`;
        continue;
      }
      problem.severity = 'warning';
      problem.message = `${problem.message} [already on ${options.base}; not changed here]`;
    }
  }
  const errors = problems.filter((p) => p.severity === 'error').length;
  return {
    schemaVersion: 1,
    ok: errors === 0,
    files,
    entries: valid.length,
    errors,
    warnings: problems.length - errors,
    problems,
    changes,
  };
}

interface ResolveContext {
  problems: Problem[];
  show: (path: string) => string;
  addTarget: (dataDir: string, experiment: string, only: string | null) => void;
}

async function resolveTarget(abs: string, given: string, ctx: ResolveContext): Promise<void> {
  if (!existsSync(abs)) {
    ctx.problems.push({ severity: 'error', file: given, message: 'no such file or folder' });
    return;
  }
  if (!statSync(abs).isDirectory()) {
    const folder = dirname(abs);
    const experimentFolder = dirname(folder);
    if (basename(folder) === 'annotations' && existsSync(join(experimentFolder, 'experiment.yaml'))) {
      ctx.addTarget(dirname(experimentFolder), basename(experimentFolder), ctx.show(abs));
    } else {
      ctx.problems.push({ severity: 'error', file: ctx.show(abs), message: OUTSIDE_MESSAGE });
    }
    return;
  }
  if (basename(abs) === 'annotations' && existsSync(join(dirname(abs), 'experiment.yaml'))) {
    ctx.addTarget(dirname(dirname(abs)), basename(dirname(abs)), null);
  } else if (existsSync(join(abs, 'experiment.yaml'))) {
    ctx.addTarget(dirname(abs), basename(abs), null);
  } else {
    for (const experiment of await listExperiments(abs)) ctx.addTarget(abs, experiment, null);
    for (const entry of await readdir(abs, { withFileTypes: true })) {
      if (
        entry.isDirectory() &&
        !existsSync(join(abs, entry.name, 'experiment.yaml')) &&
        existsSync(join(abs, entry.name, 'annotations'))
      ) {
        ctx.problems.push({
          severity: 'error',
          file: ctx.show(join(abs, entry.name, 'annotations')),
          message: `no experiment "${entry.name}" (its folder has no experiment.yaml): annotations belong to an existing experiment`,
        });
      }
    }
  }
}

const OUTSIDE_MESSAGE = 'is outside an annotations folder: annotation files go in <data>/<experiment>/annotations/<name>.yaml';

interface DescribeContext {
  dataDir: string;
  valid: AnnotationEntry[];
  problems: Problem[];
  show: (path: string) => string;
}

async function describeChanges(rootDir: string, base: string, changed: ChangedPath[], ctx: DescribeContext): Promise<AnnotationChanges> {
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

/** Relative to `cwd` when inside it (what a terminal and a repository link want), else absolute. */
export function displayPath(cwd: string, path: string): string {
  const rel = relative(cwd, path);
  return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel.split(sep).join('/') : path;
}

/** The experiment.yaml whose rules an annotation file is held to (paths as the report shows them). */
function experimentFileOf(file: string): string | null {
  if (file.startsWith('annotations/')) return 'experiment.yaml';
  const at = file.lastIndexOf('/annotations/');
  return at === -1 ? null : `${file.slice(0, at)}/experiment.yaml`;
}

/** Whether a file is its author's: `<slug>.yaml`, or a proposal from the site, `<slug>-<yyyymmdd>-<hhmmss>-<4>.yaml`. */
function inAuthorsFile(path: string, author: string): boolean {
  const name = basename(path);
  const slug = authorSlug(author);
  return name === `${slug}.yaml` || name === `${slug}.yml` || new RegExp(`^${slug}-\\d{8}-\\d{6}-[a-z2-9]{4}\\.ya?ml$`).test(name);
}
