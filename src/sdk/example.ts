import { UsageError } from '../errors/index.ts';
import { exampleIdFromInput } from '../json/example-id.ts';

/**
 * One dataset row. `id` is the dataset's own id (kept as the trace's `exampleId`); without one
 * the id is a hash of the input. `tags` and `metadata` go to the trace; any other field (a
 * category, a difficulty) goes to the trace's metadata, so the site can slice by it.
 */
export interface Example<Input = unknown, Expected = unknown> {
  id?: string | number;
  input: Input;
  expected?: Expected;
  tags?: readonly string[];
  metadata?: Record<string, unknown>;
}

interface NormalizedExample {
  exampleId: string;
  input: unknown;
  expected: unknown;
  tags: string[];
  metadata: Record<string, unknown> | undefined;
}

const KNOWN_FIELDS = new Set(['id', 'input', 'expected', 'tags', 'metadata']);

export function normalizeExample(example: unknown): NormalizedExample {
  if (example === null || typeof example !== 'object' || Array.isArray(example) || !('input' in example)) {
    throw new UsageError('run.trace() expects an example object with an "input" field ({ id?, input, expected? })');
  }
  const row = example as Example & Record<string, unknown>;
  return {
    exampleId: exampleIdOf(row),
    input: row.input,
    expected: row.expected,
    tags: row.tags === undefined ? [] : checkTags(row.tags, 'example.tags'),
    metadata: extraFields(row),
  };
}

/** The id an example is traced under: its own `id`, else the hash of its input. */
export function exampleIdOf(example: { id?: unknown; input?: unknown }): string {
  const id = example.id;
  if (id === undefined || id === null) return exampleIdFromInput(example.input);
  if (typeof id === 'number' && Number.isFinite(id)) return String(id);
  if (typeof id === 'string' && id.length > 0 && id.length <= 500) return id;
  throw new UsageError(
    `example id ${typeof id === 'number' ? String(id) : JSON.stringify(id)} is not usable: expected a non-empty string (at most 500 characters) or a number`,
  );
}

export function checkTags(tags: unknown, where: string): string[] {
  if (!Array.isArray(tags) || !tags.every((tag) => typeof tag === 'string' && tag.length <= 200)) {
    throw new UsageError(`${where} must be a list of strings of at most 200 characters`);
  }
  return [...tags];
}

function extraFields(row: Example & Record<string, unknown>): Record<string, unknown> | undefined {
  let metadata: Record<string, unknown> | undefined;
  for (const [key, value] of Object.entries(row)) {
    if (KNOWN_FIELDS.has(key) || value === undefined) continue;
    (metadata ??= {})[key] = value;
  }
  if (row.metadata !== undefined) {
    if (row.metadata === null || typeof row.metadata !== 'object' || Array.isArray(row.metadata))
      throw new UsageError('example.metadata must be an object');
    metadata = { ...metadata, ...row.metadata };
  }
  return metadata;
}
