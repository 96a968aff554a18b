/**
 * Bounds on every JSON or YAML document Labbook reads or writes: a trace line of
 * `traces.jsonl`, `run.json`, `metrics.json`, a config or `experiment.yaml`. They are checked
 * where data is written (the SDK, the runner sealing lines other languages wrote, `import`,
 * any receiver) and again where it is read (`validate` and every reader), with the same
 * function, so what one side accepts the other reads. Past these bounds a document is refused
 * with its file, line and field; below them every walk in Labbook (export, site, statistics,
 * canonical JSON) is safe, even the recursive ones, since none recurses more than `depth`.
 *
 * The numbers leave room for any real agent trace (tool schemas and chat transcripts nest a
 * dozen levels; serde_json's default recursion limit is 128) while keeping a hostile value
 * far from the ~5,000 levels at which V8's `JSON.stringify` overflows its stack.
 */
export const VALUE_LIMITS = {
  /** Containers (objects and arrays) enclosing a value, the document itself counting as 1. */
  depth: 128,
  /** UTF-16 code units in one string, keys included: 16 Mi, a large document in a field. */
  stringLength: 16 * 1024 * 1024,
  /** Items in one array (spans of a trace included). */
  arrayLength: 1_000_000,
  /** Keys of one object. */
  objectKeys: 100_000,
  /**
   * Values (of any kind) in one document. A JSON line of 64 MiB holds at most 32 Mi of them; the
   * bound matters for values the SDK is handed, where one object reached by many paths would
   * otherwise be walked (and written) once per path.
   */
  values: 32 * 1024 * 1024,
  /** Bytes of one `traces.jsonl` line: one such line must not exhaust memory. */
  lineBytes: 64 * 1024 * 1024,
  /** Bytes of one whole JSON or YAML file read at once (`run.json`, `metrics.json`, configs). */
  fileBytes: 64 * 1024 * 1024,
} as const;

export type ValueLimits = { readonly [K in keyof typeof VALUE_LIMITS]: number };

/** Where a document breaks a bound: the path to the offending value and what is wrong. */
export interface BoundsViolation {
  path: Array<string | number>;
  message: string;
}

/**
 * The first place `value` breaks a bound, or undefined. Iterative (an explicit stack), so it
 * is itself safe on a value nested a million levels deep, and it stops at the first problem
 * without walking the rest. Only plain data is expected (what `JSON.parse` or js-yaml build);
 * a value reached twice is walked twice, so callers that may hold cycles check them first.
 */
export function findBoundsViolation(value: unknown, limits: ValueLimits = VALUE_LIMITS): BoundsViolation | undefined {
  // Each entry is a value with its depth; paths are rebuilt from parent links only on failure.
  interface Frame { value: unknown; depth: number; key: string | number | undefined; parent: Frame | undefined }
  const stack: Frame[] = [{ value, depth: 1, key: undefined, parent: undefined }];
  let seen = 0;
  while (stack.length > 0) {
    const frame = stack.pop()!;
    if (++seen > limits.values) return violation(frame, `more than ${limits.values} values in one document`);
    const item = frame.value;
    if (typeof item === 'string') {
      if (item.length > limits.stringLength) return violation(frame, `a string of ${item.length} characters, over the limit of ${limits.stringLength}`);
      continue;
    }
    if (item === null || typeof item !== 'object') continue;
    if (frame.depth > limits.depth) return violation(frame, `nested deeper than ${limits.depth} levels`);
    if (Array.isArray(item)) {
      if (item.length > limits.arrayLength) return violation(frame, `an array of ${item.length} items, over the limit of ${limits.arrayLength}`);
      for (let i = item.length - 1; i >= 0; i--) stack.push({ value: item[i], depth: frame.depth + 1, key: i, parent: frame });
      continue;
    }
    const keys = Object.keys(item);
    if (keys.length > limits.objectKeys) return violation(frame, `an object with ${keys.length} keys, over the limit of ${limits.objectKeys}`);
    for (let i = keys.length - 1; i >= 0; i--) {
      const key = keys[i]!;
      if (key.length > limits.stringLength) return violation(frame, `a key of ${key.length} characters, over the limit of ${limits.stringLength}`);
      stack.push({ value: (item as Record<string, unknown>)[key], depth: frame.depth + 1, key, parent: frame });
    }
  }
  return undefined;
}

/** Shown paths keep their first and last segments: a path 129 levels deep is not a message. */
const SHOWN_PATH_SEGMENTS = 12;

function violation(frame: { key: string | number | undefined; parent: unknown }, message: string): BoundsViolation {
  const path: Array<string | number> = [];
  for (let f = frame as { key: string | number | undefined; parent: unknown } | undefined; f?.key !== undefined; f = f.parent as typeof f) path.push(f.key);
  path.reverse();
  return { path, message };
}

/** A field path for a message, shortened in the middle when it is long: `input.a.a.….a.a`. */
export function formatFieldPath(path: ReadonlyArray<string | number>): string {
  const parts = path.map(String);
  if (parts.length <= SHOWN_PATH_SEGMENTS) return parts.join('.');
  const head = parts.slice(0, SHOWN_PATH_SEGMENTS / 2);
  const tail = parts.slice(-SHOWN_PATH_SEGMENTS / 2);
  return [...head, `…(${parts.length - SHOWN_PATH_SEGMENTS} more)…`, ...tail].join('.');
}
