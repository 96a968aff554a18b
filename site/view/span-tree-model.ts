// The tree itself is laid out by the library (the CLI prints it too); what is here is the view's.
import type { SpanTree } from '#lib/store/span-tree-layout.ts';

/** Span indices shown when the spans flagged in `collapsed` hide their descendants. */
export function visibleSpans(tree: SpanTree, collapsed: Uint8Array): Int32Array {
  const out = new Int32Array(tree.count);
  let n = 0;
  for (let pos = 0; pos < tree.count;) {
    const span = tree.order[pos]!;
    out[n++] = span;
    pos = collapsed[span] ? tree.subtreeEnd[pos]! : pos + 1;
  }
  return out.subarray(0, n);
}

/** Collapses every span deeper than `maxDepth` that has children, so big trees open compact. */
export function collapseBelow(tree: SpanTree, maxDepth: number): Uint8Array {
  const collapsed = new Uint8Array(tree.count);
  for (let i = 0; i < tree.count; i++) if (tree.depth[i]! >= maxDepth && tree.childCount[i]! > 0) collapsed[i] = 1;
  return collapsed;
}

/** Expands the ancestors of a span so it becomes visible. */
export function revealSpan(tree: SpanTree, collapsed: Uint8Array, span: number): void {
  for (let p = tree.parent[span]!; p >= 0; p = tree.parent[p]!) collapsed[p] = 0;
}

/** Pixels of indentation per level of the span tree. */
export const INDENT_STEP = 14;
/** Room a name cell keeps beside its indentation: twisty, the widest type badge, a readable part of the name. */
const KEPT_ROOM = 180;
const MIN_LEVELS = 3;
const MAX_LEVELS = 32;

/**
 * How many levels a name column `width` pixels wide indents before deeper spans stop moving
 * right: at most half the column, and never into the room the type and the name need (so a
 * phone indents 3 levels, a laptop a dozen).
 */
export function indentLevels(width: number): number {
  const room = Math.min(width / 2, width - KEPT_ROOM);
  return Math.max(MIN_LEVELS, Math.min(MAX_LEVELS, Math.floor(room / INDENT_STEP)));
}

/**
 * Where a span at `depth` (0 for a root) starts within `levels` indented levels. Past them the
 * indentation stays two levels short and `mark` fills them with the depth (`┄17┄`, as
 * `labbook show` prints it), so a deep chain keeps its names in view instead of pushing them out
 * of the column.
 */
export function spanIndent(depth: number, levels: number): { px: number; mark: string | null } {
  if (depth <= levels) return { px: depth * INDENT_STEP, mark: null };
  return { px: (levels - 2) * INDENT_STEP, mark: `┄${depth}┄` };
}
