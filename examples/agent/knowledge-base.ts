import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';

/** One retrievable passage: a `## heading` section of a knowledge file. */
export interface Passage {
  /** `<file>/<heading-slug>`, e.g. `returns/return-window`. */
  id: string;
  title: string;
  /** The title followed by the body, which is what gets indexed and quoted. */
  text: string;
}

/**
 * Reads every `*.md` file in a folder. Each `## heading` starts a passage that runs to the next
 * heading; the `# title` line and blank lines are ignored. Files are read in name order so
 * passage order (and so BM25 tie-breaking) is the same on every machine.
 */
export function loadKnowledgeBase(folder: string): Passage[] {
  const files = readdirSync(folder)
    .filter((name) => name.endsWith('.md'))
    .sort();
  return files.flatMap((name) => parsePassages(readFileSync(join(folder, name), 'utf8'), basename(name, '.md')));
}

export function parsePassages(markdown: string, prefix: string): Passage[] {
  const passages: Passage[] = [];
  let current: { title: string; lines: string[] } | undefined;
  const flush = () => {
    if (!current) return;
    const body = current.lines.join(' ').trim();
    passages.push({ id: `${prefix}/${slug(current.title)}`, title: current.title, text: `${current.title}. ${body}` });
  };
  for (const line of markdown.split('\n')) {
    const heading = /^##\s+(.+?)\s*$/.exec(line);
    if (heading) {
      flush();
      current = { title: heading[1]!, lines: [] };
    } else if (current && line.trim() !== '' && !line.startsWith('# ')) {
      current.lines.push(line.trim());
    }
  }
  flush();
  return passages;
}

function slug(title: string): string {
  return title
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}
