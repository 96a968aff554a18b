import type { Queue } from '../../schemas/queue.ts';
import { newAnnotationFileName } from './annotation-file-name.ts';
import { annotationEntryYaml, type NewAnnotation } from './entry-yaml.ts';

/** A queue file read and checked (loadQueues): its name is the file's name without `.yaml`. */
export interface QueueFile {
  name: string;
  file: string;
  queue: Queue;
}

/** What a reviewer said about one trace of a queue: a value per collected name, and a note. */
export interface QueueDraft {
  trace: string;
  values: Record<string, number | string>;
  note?: string;
}

/**
 * One annotation file for all the judgements a reviewer made in a queue: an entry per trace and
 * name, each with the same author and time, the note on every entry of its trace. The format is
 * the one `labbook annotations check` reads; nothing queue-specific is needed to accept it.
 */
export function queueAnnotationEntries(
  run: string,
  reviewer: string,
  at: string,
  drafts: readonly QueueDraft[],
  names: readonly string[],
): NewAnnotation[] {
  const entries: NewAnnotation[] = [];
  for (const draft of drafts) {
    for (const name of names) {
      const value = draft.values[name];
      if (value === undefined || value === '' || (typeof value === 'number' && !Number.isFinite(value))) continue;
      entries.push({ run, trace: draft.trace, name, value, author: reviewer, at, ...(draft.note ? { note: draft.note } : {}) });
    }
  }
  return entries;
}

/** The file's text: a comment saying where it came from, then the entries. */
export function queueAnnotationsYaml(queue: string, entries: readonly NewAnnotation[]): string {
  return `# Judgements from the review queue "${queue.replace(/[\r\n]/g, ' ')}"\n${entries.map(annotationEntryYaml).join('')}`;
}

/** `<reviewer>-<time>-<random>.yaml`, as for any proposed annotation file. */
export function queueFileName(reviewer: string, at: Date, random?: () => number): string {
  return newAnnotationFileName(reviewer, at, random);
}
