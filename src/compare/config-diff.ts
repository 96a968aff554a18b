import { RECOGNISED_CONFIG_KEYS } from '../../schemas/config-keys.ts';
import { canonicalJson } from '../json/canonical-json.ts';
import { type WordDiffOp, wordDiff } from './word-diff.ts';

export interface ConfigChange {
  /** Keys from the root, array positions as numbers: `['params', 'temperature']`. */
  path: Array<string | number>;
  kind: 'added' | 'removed' | 'changed';
  before?: unknown;
  after?: unknown;
  /** For a changed multi-word string (a prompt): the word-level diff. */
  textDiff?: WordDiffOp[];
}

/**
 * A structural diff of two agent configs: mappings are compared key by key (recognised keys
 * `model`, `prompts`, `params` first, then the rest alphabetically), arrays position by
 * position, anything else by value. Only the deepest differing values are reported, so a
 * changed temperature shows as `params.temperature`, not as a changed `params`.
 */
export function diffConfigs(before: unknown, after: unknown): ConfigChange[] {
  const changes: ConfigChange[] = [];
  walk(before, after, [], changes);
  return changes;
}

function walk(a: unknown, b: unknown, path: Array<string | number>, out: ConfigChange[]): void {
  if (isMapping(a) && isMapping(b)) {
    for (const key of orderedKeys(a, b, path.length === 0)) {
      const inA = Object.hasOwn(a, key);
      const inB = Object.hasOwn(b, key);
      if (inA && !inB) out.push({ path: [...path, key], kind: 'removed', before: a[key] });
      else if (!inA && inB) out.push({ path: [...path, key], kind: 'added', after: b[key] });
      else walk(a[key], b[key], [...path, key], out);
    }
    return;
  }
  if (Array.isArray(a) && Array.isArray(b)) {
    const length = Math.max(a.length, b.length);
    for (let i = 0; i < length; i++) {
      if (i >= b.length) out.push({ path: [...path, i], kind: 'removed', before: a[i] });
      else if (i >= a.length) out.push({ path: [...path, i], kind: 'added', after: b[i] });
      else walk(a[i], b[i], [...path, i], out);
    }
    return;
  }
  if (canonicalJson(a) === canonicalJson(b)) return;
  const change: ConfigChange = { path, kind: 'changed', before: a, after: b };
  if (typeof a === 'string' && typeof b === 'string' && (/\s/.test(a) || /\s/.test(b))) change.textDiff = wordDiff(a, b);
  out.push(change);
}

function isMapping(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value) && !(value instanceof Date);
}

function orderedKeys(a: Record<string, unknown>, b: Record<string, unknown>, root: boolean): string[] {
  const all = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
  if (!root) return all;
  const first = RECOGNISED_CONFIG_KEYS.filter((k) => all.includes(k)) as string[];
  return [...first, ...all.filter((k) => !first.includes(k))];
}

/** `params.temperature`, `prompts.system`, `tools[2].name`. */
export function formatConfigPath(path: ReadonlyArray<string | number>): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? p : `.${p}`)).join('') || '(root)';
}
