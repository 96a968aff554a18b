import { authorSlug } from './annotation-file-name.ts';
import { describeChanges, OUTSIDE_MESSAGE, type AnnotationChanges } from './annotation-changes.ts';
import { existsSync, statSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import type { AnnotationRules } from '../../schemas/experiment.ts';
import { readExperiment, listExperiments } from '../store/experiments.ts';
import { runsDir } from '../store/layout.ts';
import { problemFrom, type Problem } from '../errors/problem.ts';
import type { AnnotationEntry } from './annotation-entry.ts';
import { changedPaths, gitTopLevel, type ChangedPath } from './git-changes.ts';
import { readAnnotationFolder } from './load-annotations.ts';
import { fieldPosition } from './parse-annotation-file.ts';
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
