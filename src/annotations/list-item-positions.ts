import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Node } from 'yaml';

import type { TextPosition } from '../store/yaml-path-positions.ts';

export type { TextPosition };

/** Where one item of a top-level YAML list starts, and where each of its keys' values starts. */
interface ListItemPosition extends TextPosition {
  fields: Map<string, TextPosition>;
}

/**
 * Finds where each item of a top-level list starts, and where each value of a mapping item
 * starts, so that an error about entry 37's `value` can name its line and column. The `yaml`
 * package keeps every node's source range and counts lines for us; when the document is not a
 * plain list (or a node has no range), this returns null and callers fall back to the file
 * alone, rather than point at a wrong line. Call it only on text that `parseYaml` has accepted:
 * its depth is then bounded (the `yaml` package exhausts memory on hostile nesting, see yaml.ts).
 */
export function locateListItems(text: string): ListItemPosition[] | null {
  const lines = new LineCounter();
  const document = parseDocument(text, { lineCounter: lines, schema: 'core', uniqueKeys: false });
  if (document.errors.length > 0 || !isSeq(document.contents)) return null;
  const at = (node: unknown): TextPosition | null => {
    const offset = (node as Node | null)?.range?.[0];
    if (offset === undefined) return null;
    const { line, col } = lines.linePos(offset);
    return { line, column: col };
  };
  const items: ListItemPosition[] = [];
  for (const item of document.contents.items) {
    const position = at(item);
    if (!position) return null;
    const fields = new Map<string, TextPosition>();
    if (isMap(item)) {
      for (const pair of item.items) {
        // Keys that are not strings are not ours to locate (the entry's checks refuse them).
        if (!isScalar(pair.key) || typeof pair.key.value !== 'string') continue;
        const value = at(pair.value);
        if (value) fields.set(pair.key.value, value);
      }
    }
    items.push({ ...position, fields });
  }
  return items;
}
