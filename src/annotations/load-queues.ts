import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { nameSchema } from '../../schemas/names.ts';
import { type Queue, queueSchema, queueSelectionSchema } from '../../schemas/queue.ts';
import { FileFormatError } from '../errors/index.ts';
import { experimentDir } from '../store/layout.ts';
import { parseYamlMapping } from '../store/yaml.ts';
import { describeZodIssue } from '../json/zod-issue.ts';
import type { QueueFile } from './queue-file.ts';
import { yamlPathPositions } from '../store/yaml-path-positions.ts';

export type { QueueFile };

/** Longest queue file read; a queue lists trace ids at most, so anything larger is a mistake. */
const MAX_QUEUE_BYTES = 1024 * 1024;

/** The path of an experiment's queue folder. */
export const queuesDir = (dataDir: string, experiment: string) => join(experimentDir(dataDir, experiment), 'queues');

/**
 * Reads one queue file's text: the queue when the schema accepts it, and every problem the
 * schema finds (not just the first), each naming the file, the field and, where the YAML
 * reader knows it, the line. A bad `select` is described by the one way it uses (`fails`,
 * `traces`, …) rather than as a union no branch matched.
 */
async function readQueueText(text: string, file: string): Promise<{ queue: Queue | null; problems: FileFormatError[] }> {
  const raw = parseYamlMapping(text, file);
  const parsed = queueSchema.safeParse(raw);
  if (parsed.success) return { queue: parsed.data, problems: [] };
  const locate = await yamlPathPositions(text);
  const problems = parsed.error.issues.flatMap((issue) => {
    if (issue.code === 'invalid_union' && issue.path.length === 1 && issue.path[0] === 'select') return selectIssues(raw.select);
    return [{ path: issue.path, message: describeZodIssue(issue, raw) }];
  });
  return {
    queue: null,
    problems: problems.map(
      ({ path, message }) => new FileFormatError({ file, ...locate(path), field: path.join('.') || undefined }, message),
    ),
  };
}

const SELECT_WAYS = ['fails', 'disagree', 'sample', 'traces'] as const;

/** A `select` that matched no way: the issues of the way its keys name, or which ways exist. */
function selectIssues(select: unknown): Array<{ path: PropertyKey[]; message: string }> {
  const keys = select !== null && typeof select === 'object' && !Array.isArray(select) ? Object.keys(select) : [];
  const ways = SELECT_WAYS.filter((way) => keys.includes(way));
  if (ways.length !== 1)
    return [
      {
        path: ['select'],
        message: `${ways.length === 0 ? 'names no way to select traces' : `names ${ways.length} ways (${ways.join(', ')})`}: use exactly one of ${SELECT_WAYS.join(', ')}`,
      },
    ];
  const branch = queueSelectionSchema.options[SELECT_WAYS.indexOf(ways[0]!)]!.safeParse(select);
  if (branch.success) return [];
  return branch.error.issues.map((issue) => ({ path: ['select', ...issue.path], message: describeZodIssue(issue, select) }));
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
      const { queue, problems } = await readQueueText(text, file);
      problems.forEach(onProblem);
      if (queue) queues.push({ name, file, queue });
    } catch (error) {
      onProblem(error as Error);
    }
  }
  return queues;
}
