import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { nameSchema } from '../../schemas/names.ts';
import { type Queue, queueSchema } from '../../schemas/queue.ts';
import { FileFormatError } from '../errors/index.ts';
import { experimentDir } from '../store/layout.ts';
import { parseYamlMapping } from '../store/yaml.ts';
import { describeZodIssue } from '../json/zod-issue.ts';
import type { QueueFile } from './queue-file.ts';

export type { QueueFile };

/** Longest queue file read; a queue lists trace ids at most, so anything larger is a mistake. */
const MAX_QUEUE_BYTES = 1024 * 1024;

/** The path of an experiment's queue folder. */
export const queuesDir = (dataDir: string, experiment: string) => join(experimentDir(dataDir, experiment), 'queues');

/** Parses one queue file's text; errors name the file, and the field where there is one. */
export function parseQueueFile(text: string, file: string): Queue {
  const raw = parseYamlMapping(text, file);
  const parsed = queueSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new FileFormatError({ file, field: issue.path.join('.') || undefined }, describeZodIssue(issue, raw));
  }
  return parsed.data;
}

/**
 * Reads `experiments/<experiment>/queues/*.yaml`. A bad file is reported through `onProblem`
 * (naming the file) and left out; the good ones always come through. No folder means no queues.
 */
export async function loadQueues(dataDir: string, experiment: string, onProblem: (error: Error) => void): Promise<QueueFile[]> {
  const dir = queuesDir(dataDir, experiment);
  let names: string[];
  try {
    names = (await readdir(dir)).sort();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  const queues: QueueFile[] = [];
  for (const entry of names) {
    const file = join(dir, entry);
    if (!entry.endsWith('.yaml')) {
      if (!entry.startsWith('.') && !entry.endsWith('.md'))
        onProblem(new FileFormatError({ file }, 'not a queue file: queues are <name>.yaml'));
      continue;
    }
    const name = entry.slice(0, -'.yaml'.length);
    try {
      if (!nameSchema.safeParse(name).success)
        throw new FileFormatError({ file }, `"${name}" cannot name a queue: use lower case letters, digits, ".", "_" and "-"`);
      const text = await readFile(file, 'utf8');
      if (Buffer.byteLength(text) > MAX_QUEUE_BYTES)
        throw new FileFormatError({ file }, `larger than ${MAX_QUEUE_BYTES / 1024} KiB; a queue names its traces, not their data`);
      queues.push({ name, file, queue: parseQueueFile(text, file) });
    } catch (error) {
      onProblem(error as Error);
    }
  }
  return queues;
}
