import { existsSync } from 'node:fs';
import { lstat, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { AnnotationRules } from '../../schemas/experiment.ts';
import { annotationsDir } from '../store/layout.ts';
import { readExperiment } from '../store/experiments.ts';
import type { Problem } from '../errors/problem.ts';
import type { AnnotationEntry } from './annotation-entry.ts';
import { crossCheckEntries } from './cross-check.ts';
import { ANNOTATION_LIMITS } from './limits.ts';
import { parseAnnotationFile, type RejectedReference } from './parse-annotation-file.ts';

export interface LoadAnnotationsOptions {
  /** Every problem found, errors (the entry or file is left out) and warnings (kept). */
  onProblem: (problem: Problem) => void;
  /** The experiment's rules; read from its `experiment.yaml` when not given. */
  rules?: AnnotationRules;
  /** How paths are shown in problems (the CLI makes them relative to the working folder). */
  displayPath?: (path: string) => string;
  /** @see CrossCheckOptions.mode; `load` unless checking a pull request. */
  mode?: 'load' | 'check';
  /** In `check` mode: whether a data-relative file is one the pull request changes. */
  isChangedFile?: (file: string) => boolean;
}

/** One file of an annotations folder as read. */
interface AnnotationFileInfo {
  /** Relative to the data folder, with `/`. */
  file: string;
  path: string;
  /** Entries in the file, valid or not; 0 when it could not be read. */
  total: number;
  unreadable: boolean;
}

interface AnnotationFolder {
  entries: AnnotationEntry[];
  files: AnnotationFileInfo[];
  /** Runs and traces named by entries refused for other reasons, with the path to report them under. */
  rejected: Array<RejectedReference & { path: string }>;
}

const decoder = new TextDecoder('utf-8', { fatal: true });

/** Hidden files that belong in any folder and are skipped without a word. */
const QUIET_DOT_FILES = new Set(['.gitkeep', '.gitignore', '.gitattributes', '.keep', '.DS_Store']);

/**
 * Reads every `<dataDir>/<experiment>/annotations/*.yaml` and returns the valid entries, in
 * file-name then line order. A bad entry or a bad file is reported through `onProblem` and left
 * out; it never costs the good ones. Files are read whole but only after their size is checked
 * (annotation files are small by design; see ANNOTATION_LIMITS). Nested folders, symbolic links
 * and files that are not `.yaml` are reported, never followed or read.
 */
export async function loadAnnotations(dataDir: string, experiment: string, options: LoadAnnotationsOptions): Promise<AnnotationEntry[]> {
  return (await readAnnotationFolder(dataDir, experiment, options)).entries;
}

/** `loadAnnotations` with the list of files read, for `labbook annotations check`. */
export async function readAnnotationFolder(
  dataDir: string,
  experiment: string,
  options: LoadAnnotationsOptions,
): Promise<AnnotationFolder> {
  const dir = annotationsDir(dataDir, experiment);
  if (!existsSync(dir)) return { entries: [], files: [], rejected: [] };
  const show = options.displayPath ?? ((path: string) => path);
  const rules = options.rules ?? (await readExperiment(dataDir, experiment)).annotations;
  const names = (await readdir(dir)).sort();
  const files: AnnotationFileInfo[] = [];
  const entries: AnnotationEntry[] = [];
  const rejected: AnnotationFolder['rejected'] = [];
  for (const name of names) {
    const path = join(dir, name);
    const file = `${experiment}/annotations/${name}`;
    const refuse = (message: string) => options.onProblem({ severity: 'error', file: show(path), message });
    if (/\.(md|txt)$/i.test(name) || QUIET_DOT_FILES.has(name)) continue; // README.md, .gitkeep: notes for people and git
    if (name.startsWith('.')) {
      // Skipped like every hidden file, but never in silence: an author's `.alice.yaml` would
      // otherwise vanish from the site with no word.
      const visible = name.replace(/^\.+/, '');
      options.onProblem({
        severity: 'warning',
        file: show(path),
        message: `is not read: files whose names start with "." are skipped${/\.ya?ml$/i.test(visible) ? `; rename it ${visible.replace(/\.yml$/i, '.yaml')} to have it read` : ''}`,
      });
      continue;
    }
    const stat = await lstat(path);
    if (stat.isSymbolicLink()) {
      refuse('symbolic links are not read in annotations/; commit the file itself');
      continue;
    }
    if (stat.isDirectory()) {
      refuse('folders inside annotations/ are not read; move their .yaml files up into annotations/');
      continue;
    }
    if (!name.endsWith('.yaml')) {
      refuse(
        name.endsWith('.yml')
          ? `only .yaml files are read: rename it ${name.slice(0, -4)}.yaml`
          : 'only .yaml files are read in annotations/',
      );
      continue;
    }
    if (!stat.isFile()) continue;
    if (stat.size > ANNOTATION_LIMITS.fileBytes) {
      refuse(`file is ${stat.size} bytes, more than the ${ANNOTATION_LIMITS.fileBytes} allowed; split it into several files`);
      files.push({ file, path, total: 0, unreadable: true });
      continue;
    }
    let text: string;
    try {
      text = decoder.decode(await readFile(path));
    } catch {
      refuse('is not valid UTF-8 text');
      files.push({ file, path, total: 0, unreadable: true });
      continue;
    }
    const parsed = parseAnnotationFile(text, { path: show(path), file, experiment }, rules);
    for (const problem of parsed.problems) options.onProblem(problem);
    entries.push(...parsed.entries);
    rejected.push(...parsed.rejected.map((reference) => ({ ...reference, path: show(path) })));
    files.push({ file, path, total: parsed.total, unreadable: parsed.unreadable });
  }
  const pathOf = (entry: AnnotationEntry) => show(join(dataDir, ...entry.file.split('/')));
  const isChangedFile = options.isChangedFile;
  const checked = crossCheckEntries(entries, {
    mode: options.mode ?? 'load',
    pathOf,
    isChanged: isChangedFile ? (entry) => isChangedFile(entry.file) : undefined,
  });
  for (const problem of checked.problems) options.onProblem(problem);
  return { entries: checked.kept, files, rejected };
}
