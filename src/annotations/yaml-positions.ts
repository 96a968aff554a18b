import yaml from 'js-yaml';

/** 1-based line and column of a place in a YAML text. */
export interface TextPosition {
  line: number;
  column: number;
}

/** Where one item of a top-level YAML list starts, and where each of its keys' values starts. */
export interface ListItemPosition extends TextPosition {
  fields: Map<string, TextPosition>;
}

interface RawNode {
  open: number;
  close: number;
  result: unknown;
  children: RawNode[];
}

/**
 * Finds where each item of a top-level list starts, and where each value of a mapping item
 * starts, so that an error about entry 37's `value` can name its line and column.
 *
 * js-yaml returns plain values without positions; its `listener` option reports every node it
 * opens and closes with the reader's offset. This rebuilds the node tree from those events
 * and then checks it against the loaded value: if the shapes disagree (a YAML construct this
 * does not understand), it returns null and callers fall back to the file alone, rather than
 * point at a wrong line. Call it only on text that `parseYaml` has accepted.
 */
export function locateListItems(text: string): ListItemPosition[] | null {
  const stack: RawNode[] = [];
  let root: RawNode | null = null;
  const value = yaml.load(text, {
    schema: yaml.CORE_SCHEMA,
    listener(event, state) {
      if (event === 'open') {
        const node: RawNode = { open: state.position, close: -1, result: undefined, children: [] };
        stack.at(-1)?.children.push(node);
        stack.push(node);
      } else {
        const node = stack.pop();
        if (!node) return;
        node.close = state.position;
        node.result = state.result;
        if (stack.length === 0) root = node;
      }
    },
  });
  if (!Array.isArray(value) || root === null) return null;
  const list = unwrap(root);
  if (list.result !== value || list.children.length !== value.length) return null;
  const lines = lineStarts(text);
  const items: ListItemPosition[] = [];
  for (const [index, raw] of list.children.entries()) {
    const node = unwrap(raw);
    const item = value[index];
    const position = toPosition(lines, contentStart(text, node.open));
    const fields = new Map<string, TextPosition>();
    if (item !== null && typeof item === 'object' && !Array.isArray(item) && node.result === item) {
      const keys = Object.keys(item);
      if (node.children.length === keys.length * 2) {
        for (let k = 0; k < node.children.length; k += 2) {
          const key = unwrap(node.children[k]!).result;
          const valueNode = node.children[k + 1]!;
          if (typeof key !== 'string') continue; // js-yaml turns other keys into strings; not ours to locate
          fields.set(key, toPosition(lines, contentStart(text, valueNode.open)));
        }
      }
    }
    items.push({ ...position, fields });
  }
  return items;
}

/** A node that only wraps one child holding the very same value (flow collections do this). */
function unwrap(node: RawNode): RawNode {
  let current = node;
  while (current.children.length === 1 && current.children[0]!.result === current.result) current = current.children[0]!;
  return current;
}

/** js-yaml opens a node before the separating blanks, line breaks and comments: skip them. */
function contentStart(text: string, from: number): number {
  let i = from;
  while (i < text.length) {
    const ch = text[i];
    if (ch === ' ' || ch === '\t' || ch === '\n' || ch === '\r') i++;
    else if (ch === '#') {
      while (i < text.length && text[i] !== '\n' && text[i] !== '\r') i++;
    } else break;
  }
  return i;
}

function lineStarts(text: string): number[] {
  const starts = [0];
  const breaks = /\r\n|\r|\n/g;
  for (let match = breaks.exec(text); match; match = breaks.exec(text)) starts.push(match.index + match[0].length);
  return starts;
}

function toPosition(starts: number[], offset: number): TextPosition {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid]! <= offset) lo = mid;
    else hi = mid - 1;
  }
  return { line: lo + 1, column: offset - starts[lo]! + 1 };
}
