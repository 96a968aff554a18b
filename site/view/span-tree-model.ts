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
