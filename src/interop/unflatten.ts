import { VALUE_LIMITS } from '../../schemas/value-limits.ts';

const UNSAFE = new Set(['__proto__', 'constructor', 'prototype']);
const INDEX = /^\d+$/;

/**
 * A key is only unflattened within the value bounds: at most `depth` segments (compact below
 * recurses once per level) and indexes below `arrayLength` (a sparse index such as 4294967294
 * would make an array that closing its holes walks for minutes).
 */
function withinBounds(path: readonly string[]): boolean {
  return (
    path.length < VALUE_LIMITS.depth &&
    path.every((segment) => !INDEX.test(segment) || (segment.length <= 7 && Number(segment) < VALUE_LIMITS.arrayLength))
  );
}

/**
 * Rebuilds the nested value that OpenInference flattens into dotted attribute keys:
 * `llm.input_messages.0.message.role` and `….0.message.content` under the prefix
 * `llm.input_messages` become `[{ message: { role, content } }]`. Numeric segments are array
 * indexes (holes are closed up). Returns undefined, leaving the attributes to be kept as they
 * are, when no key has the prefix or the keys contradict each other (one key a leaf, another
 * its child) or would name `__proto__`, or a key is past the value bounds (see `withinBounds`).
 */
export function unflattenPrefix(
  attributes: Record<string, unknown>,
  prefix: string,
  keys?: readonly string[],
): { value: unknown[] | Record<string, unknown>; keys: string[] } | undefined {
  const head = `${prefix}.`;
  const used: string[] = [];
  let root: unknown[] | Record<string, unknown> | undefined;
  for (const key of keys ?? Object.keys(attributes)) {
    if (!key.startsWith(head)) continue;
    const path = key.slice(head.length).split('.');
    if (path.some((segment) => segment === '' || UNSAFE.has(segment)) || !withinBounds(path)) return undefined;
    root ??= INDEX.test(path[0]!) ? [] : {};
    let container: unknown = root;
    for (let i = 0; i < path.length; i++) {
      const segment = path[i]!;
      const last = i === path.length - 1;
      const bag = container as Record<string, unknown>;
      if (Array.isArray(container) !== INDEX.test(segment)) return undefined;
      if (last) {
        if (bag[segment] !== undefined) return undefined;
        bag[segment] = attributes[key];
      } else {
        const nextIsIndex = INDEX.test(path[i + 1]!);
        let child = bag[segment];
        if (child === undefined) {
          child = nextIsIndex ? [] : {};
          bag[segment] = child;
        } else if (typeof child !== 'object' || child === null || Array.isArray(child) !== nextIsIndex) {
          return undefined;
        }
        container = child;
      }
    }
    used.push(key);
  }
  if (!root) return undefined;
  return { value: compact(root) as unknown[] | Record<string, unknown>, keys: used };
}

/** Removes the holes left by sparse indexes (`.0.` and `.2.` without `.1.`), at every depth. */
function compact(value: unknown): unknown {
  if (Array.isArray(value)) return value.filter((item) => item !== undefined).map(compact);
  if (typeof value === 'object' && value !== null) {
    for (const [key, item] of Object.entries(value)) (value as Record<string, unknown>)[key] = compact(item);
  }
  return value;
}

/**
 * The inverse: a value as flat dotted keys under a prefix, arrays by index. Objects and arrays
 * are walked; every other value is a leaf. Used to write OpenInference's message attributes.
 */
export function flattenToPrefix(prefix: string, value: unknown, into: Record<string, unknown> = {}): Record<string, unknown> {
  if (Array.isArray(value)) {
    value.forEach((item, index) => flattenToPrefix(`${prefix}.${index}`, item, into));
  } else if (typeof value === 'object' && value !== null) {
    for (const [key, item] of Object.entries(value)) flattenToPrefix(`${prefix}.${key}`, item, into);
  } else if (value !== undefined) {
    into[prefix] = value;
  }
  return into;
}
