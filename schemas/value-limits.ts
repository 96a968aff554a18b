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
interface BoundsViolation {
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
  // The hot path (every trace every reader reads) keeps no paths and stacks only containers;
  // the path to a problem is found by a second, path-keeping walk, which only a refused value
  // pays for.
  return withinBounds(value, limits) ? undefined : pathToViolation(value, limits);
}

/**
 * `findBoundsViolation`'s verdict alone, walking only containers: strings and other leaves are
 * checked where their container lists them rather than pushed and popped one by one (most
 * values of a trace are leaves; this halved the walk's share of sealing a run).
 */
function withinBounds(value: unknown, limits: ValueLimits): boolean {
  if (typeof value === 'string') return value.length <= limits.stringLength;
  if (value === null || typeof value !== 'object') return true;
  const containers: object[] = [value];
  const depths: number[] = [1];
  let seen = 1;
  while (containers.length > 0) {
    const item = containers.pop()!;
    const depth = depths.pop()!;
    if (depth > limits.depth) return false;
    if (Array.isArray(item)) {
      const length = item.length;
      if (length > limits.arrayLength) return false;
      seen += length;
      for (let i = 0; i < length; i++) {
        const child: unknown = item[i];
        if (typeof child === 'string') {
          if (child.length > limits.stringLength) return false;
        } else if (child !== null && typeof child === 'object') {
          containers.push(child);
          depths.push(depth + 1);
        }
      }
    } else {
      // for…in, not Object.keys: no list of names per object (a third of the garbage of a
      // received trace's check). Plain data inherits no enumerable key, so both see the same.
      let keys = 0;
      for (const key in item) {
        if (++keys > limits.objectKeys) return false;
        if (key.length > limits.stringLength) return false;
        const child = (item as Record<string, unknown>)[key];
        if (typeof child === 'string') {
          if (child.length > limits.stringLength) return false;
        } else if (child !== null && typeof child === 'object') {
          containers.push(child);
          depths.push(depth + 1);
        }
      }
      seen += keys;
    }
    if (seen > limits.values) return false;
  }
  return true;
}

/** The first violation with its path, in the order a reader meets it; undefined when there is none. */
function pathToViolation(value: unknown, limits: ValueLimits): BoundsViolation | undefined {
  const values: unknown[] = [value];
  const depths: number[] = [1];
  // Each entry's key and the index of its parent's entry in `trail`.
  const keys: Array<string | number | undefined> = [undefined];
  const parents: number[] = [-1];
  const trail: Array<{ key: string | number | undefined; parent: number }> = [];
  let seen = 0;
  const fail = (message: string): BoundsViolation | undefined => {
    const path: Array<string | number> = [];
    for (let at = trail.length - 1; at >= 0 && trail[at]!.key !== undefined; at = trail[at]!.parent) path.push(trail[at]!.key!);
    return { path: path.reverse(), message };
  };
  while (values.length > 0) {
    const item = values.pop();
    const depth = depths.pop()!;
    trail.push({ key: keys.pop(), parent: parents.pop()! });
    if (++seen > limits.values) return fail(`more than ${limits.values} values in one document`);
    if (typeof item === 'string') {
      if (item.length > limits.stringLength) return fail(`a string of ${item.length} characters, over the limit of ${limits.stringLength}`);
      continue;
    }
    if (item === null || typeof item !== 'object') continue;
    if (depth > limits.depth) return fail(`nested deeper than ${limits.depth} levels`);
    const self = trail.length - 1;
    if (Array.isArray(item)) {
      if (item.length > limits.arrayLength) return fail(`an array of ${item.length} items, over the limit of ${limits.arrayLength}`);
      for (let i = item.length - 1; i >= 0; i--) {
        values.push(item[i]);
        depths.push(depth + 1);
        keys.push(i);
        parents.push(self);
      }
      continue;
    }
    const names = Object.keys(item);
    if (names.length > limits.objectKeys) return fail(`an object with ${names.length} keys, over the limit of ${limits.objectKeys}`);
    for (let i = names.length - 1; i >= 0; i--) {
      const key = names[i]!;
      if (key.length > limits.stringLength) return fail(`a key of ${key.length} characters, over the limit of ${limits.stringLength}`);
      values.push((item as Record<string, unknown>)[key]);
      depths.push(depth + 1);
      keys.push(key);
      parents.push(self);
    }
  }
  return undefined;
}

/** Shown paths keep their first and last segments: a path 129 levels deep is not a message. */
const SHOWN_PATH_SEGMENTS = 12;

/** A field path for a message, shortened in the middle when it is long: `input.a.a.….a.a`. */
export function formatFieldPath(path: ReadonlyArray<string | number>): string {
  const parts = path.map(String);
  if (parts.length <= SHOWN_PATH_SEGMENTS) return parts.join('.');
  const head = parts.slice(0, SHOWN_PATH_SEGMENTS / 2);
  const tail = parts.slice(-SHOWN_PATH_SEGMENTS / 2);
  return [...head, `…(${parts.length - SHOWN_PATH_SEGMENTS} more)…`, ...tail].join('.');
}
