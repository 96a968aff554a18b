import { annotateCommandLine } from './annotate-command-line.ts';
import { newAnnotationFileName } from './annotation-file-name.ts';
import { annotationEntryYaml, type NewAnnotation } from './entry-yaml.ts';

/**
 * GitHub answers 414 beyond roughly 8 KB of URL; staying well under leaves room for proxies
 * and for the browser's own limits.
 */
export const MAX_NEW_FILE_URL_LENGTH = 6000;

export interface NewFileLinkInput {
  /** `owner/repo`; null or empty when the site does not know its repository. */
  repository: string | null | undefined;
  /** The branch that holds the data (where annotation PRs go). */
  branch: string;
  /** The data folder inside the repository, e.g. `experiments`. */
  dataPath: string;
  experiment: string;
  entry: NewAnnotation;
  /** Defaults to a generated `<author>-<time>-<random>.yaml`. */
  fileName?: string;
  /** Defaults to `https://github.com` (GitHub Enterprise servers have their own). */
  serverUrl?: string;
}

/** Always holds the YAML and the command line; `url` only when a link could be built. */
export type NewFileLink =
  | { kind: 'url'; url: string; fileName: string; folder: string; yaml: string; command: string }
  | { kind: 'fallback'; reason: 'no-repository' | 'too-long'; fileName: string; folder: string; yaml: string; command: string };

const REPOSITORY = /^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/;

/**
 * Builds GitHub's "new file" link, prefilled with one annotation in a file of its own:
 * `https://github.com/OWNER/REPO/new/BRANCH/<data>/<experiment>/annotations?filename=<name>&value=<yaml>`.
 * GitHub opens its editor with the file; "Propose changes" makes a branch (a fork for people
 * without write access) and a pull request, which the annotations workflow then checks. The
 * page is not a documented API, so the folder goes in the path (the form the page itself
 * uses), the URL is kept short, and the copy-YAML and command-line fallbacks always come along.
 * Pure, no Node imports: the site calls it in the browser.
 */
export function buildNewFileLink(input: NewFileLinkInput): NewFileLink {
  const yaml = annotationEntryYaml(input.entry);
  const fileName = input.fileName ?? newAnnotationFileName(input.entry.author, new Date(input.entry.at));
  const command = annotateCommandLine(input.entry);
  return { ...newFileLink({ ...input, fileName, yaml }), command };
}

/** Where a whole annotation file goes, and GitHub's "new file" link for it when one can be built. */
type NewFilePage =
  | { kind: 'url'; url: string; fileName: string; folder: string; yaml: string }
  | { kind: 'fallback'; reason: 'no-repository' | 'too-long'; fileName: string; folder: string; yaml: string };

/**
 * The "new file" link for a whole annotation file (a review queue's judgements, say): the same
 * page and limits as a single entry's.
 */
export function newFileLink(input: Omit<NewFileLinkInput, 'entry' | 'fileName'> & { fileName: string; yaml: string }): NewFilePage {
  const { fileName, yaml } = input;
  const folder = [...segments(input.dataPath), input.experiment, 'annotations'].join('/');
  const base = { fileName, folder, yaml };
  if (!input.repository || !REPOSITORY.test(input.repository) || segments(input.branch).length === 0) {
    return { kind: 'fallback', reason: 'no-repository', ...base };
  }
  const server = (input.serverUrl ?? 'https://github.com').replace(/\/+$/, '');
  const path = [...segments(input.branch), ...folder.split('/')].map(encodeURIComponent).join('/');
  const url = `${server}/${input.repository}/new/${path}?filename=${encodeURIComponent(fileName)}&value=${encodeURIComponent(yaml)}`;
  if (url.length > MAX_NEW_FILE_URL_LENGTH) return { kind: 'fallback', reason: 'too-long', ...base };
  return { kind: 'url', url, ...base };
}

/** Path segments without empty, `.` or `..` parts (a link never climbs out of the repository). */
function segments(path: string): string[] {
  return path.split('/').filter((part) => part !== '' && part !== '.' && part !== '..');
}
