import { existsSync } from 'node:fs';
import { appendFile, mkdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { FileFormatError, LabbookError } from '../errors/index.ts';
import { annotationsDir } from '../store/layout.ts';
import { parseYaml } from '../store/yaml.ts';
import { authorSlug } from './annotation-file-name.ts';
import { annotationEntryYaml, type NewAnnotation } from './entry-yaml.ts';
import { ANNOTATION_LIMITS } from './limits.ts';

interface AppendedAnnotations {
  file: string;
  /** 1-based line of each new entry's `- run:` line. */
  lines: number[];
}

/**
 * Appends entries at the end of the author's own file, `annotations/<author-slug>.yaml`,
 * creating it if needed. Nothing already in the file is rewritten: the new text is added
 * after it. Before anything is written, the file with the addition is parsed in memory and
 * must read back as the old entries followed by the new ones (a file written as a flow list
 * `[...]`, say, cannot take a `- ` item at its end and is refused untouched).
 */
export async function appendAnnotations(
  dataDir: string,
  experiment: string,
  author: string,
  entries: NewAnnotation[],
): Promise<AppendedAnnotations> {
  const dir = annotationsDir(dataDir, experiment);
  const file = join(dir, `${authorSlug(author)}.yaml`);
  let before = '';
  if (existsSync(file)) {
    if ((await stat(file)).size > ANNOTATION_LIMITS.fileBytes) {
      throw new LabbookError(
        `${file} is over ${ANNOTATION_LIMITS.fileBytes} bytes; start a new file (pass another --author spelling) or split it`,
      );
    }
    before = await readFile(file, 'utf8');
  }
  const old = before.trim() === '' ? [] : parseYaml(before, file);
  if (old !== null && old !== undefined && !Array.isArray(old)) {
    throw new FileFormatError({ file, line: 1 }, 'is not a YAML list of annotations; fix it before adding to it');
  }
  const oldCount = Array.isArray(old) ? old.length : 0;
  if (oldCount + entries.length > ANNOTATION_LIMITS.entriesPerFile) {
    throw new LabbookError(`${file} would hold more than ${ANNOTATION_LIMITS.entriesPerFile} entries; start a new file`);
  }
  const separator = before === '' || before.endsWith('\n') ? '' : '\n';
  const addition = separator + entries.map(annotationEntryYaml).join('');
  let after: unknown;
  try {
    after = parseYaml(before + addition, file);
  } catch {
    after = null; // the old text parsed, so the addition broke it: refused below
  }
  const added = Array.isArray(after) ? after.slice(oldCount) : [];
  if (!Array.isArray(after) || after.length !== oldCount + entries.length || !added.every((item, i) => sameEntry(item, entries[i]!))) {
    throw new LabbookError(`cannot append to ${file}: it is not written as a list of "- " items; add the entry by hand or fix the file`);
  }
  await mkdir(dir, { recursive: true });
  await appendFile(file, addition);

  const firstLine = (before + separator).split('\n').length;
  const lines: number[] = [];
  let line = firstLine;
  for (const entry of entries) {
    lines.push(line);
    line += annotationEntryYaml(entry).split('\n').length - 1;
  }
  return { file, lines };
}

function sameEntry(item: unknown, entry: NewAnnotation): boolean {
  if (item === null || typeof item !== 'object') return false;
  const read = item as Record<string, unknown>;
  return (['run', 'trace', 'name', 'value', 'author', 'at', 'note'] as const).every((key) => read[key] === entry[key]);
}
