/** The fields of a span the tree needs; the full span stays in the trace. */
export interface TreeSpanInput {
  id: string;
  parentId?: string | null;
  start: number;
  end: number;
}

/**
 * A span tree laid out as a pre-order walk in typed arrays: the site's virtualized view of tens
 * of thousands of spans expands, collapses and scrolls without walking objects, and
 * `labbook show <run> <trace>` prints the same order.
 */
export interface SpanTree {
  count: number;
  /** Span indices in pre-order (parents before children, siblings by start time). */
  order: Int32Array;
  /** Pre-order position of each span. */
  position: Int32Array;
  /** Exclusive end, in pre-order positions, of the subtree rooted at each position. */
  subtreeEnd: Int32Array;
  parent: Int32Array;
  depth: Int32Array;
  childCount: Int32Array;
  /** 1-based position of each span among its siblings, and how many siblings it has (ARIA). */
  siblingIndex: Int32Array;
  siblingCount: Int32Array;
  /** Earliest start and latest end of all spans: the waterfall's time axis. */
  t0: number;
  t1: number;
}

/**
 * Builds the tree. A span whose parent is missing becomes a root (the store reports it as a
 * warning, not an error). Spans caught in a parent cycle are also made roots, once each, so a
 * malformed trace still shows every span exactly once. Iterative: a 50,000-deep chain is fine.
 */
export function buildSpanTree(spans: readonly TreeSpanInput[]): SpanTree {
  const count = spans.length;
  const indexById = new Map<string, number>();
  for (let i = 0; i < count; i++) if (!indexById.has(spans[i]!.id)) indexById.set(spans[i]!.id, i);
  const parent = new Int32Array(count).fill(-1);
  const childCount = new Int32Array(count);
  let t0 = Infinity;
  let t1 = -Infinity;
  for (let i = 0; i < count; i++) {
    const span = spans[i]!;
    const p = span.parentId != null ? indexById.get(span.parentId) : undefined;
    if (p !== undefined && p !== i) {
      parent[i] = p;
      childCount[p]!++;
    }
    if (Number.isFinite(span.start) && span.start < t0) t0 = span.start;
    if (Number.isFinite(span.end) && span.end > t1) t1 = span.end;
  }
  if (!Number.isFinite(t0)) t0 = 0;
  if (!Number.isFinite(t1) || t1 < t0) t1 = t0;

  // Children lists in one flat array (CSR), each sorted by start time then file order.
  const childStart = new Int32Array(count + 1);
  for (let i = 0; i < count; i++) childStart[i + 1] = childStart[i]! + childCount[i]!;
  const fill = childStart.slice(0, count);
  const children = new Int32Array(childStart[count]!);
  for (let i = 0; i < count; i++) if (parent[i]! >= 0) children[fill[parent[i]!]!++] = i;
  const byStart = (a: number, b: number) => spans[a]!.start - spans[b]!.start || a - b;
  for (let i = 0; i < count; i++) {
    if (childCount[i]! > 1) children.subarray(childStart[i]!, childStart[i + 1]!).sort(byStart);
  }

  const order = new Int32Array(count);
  const position = new Int32Array(count).fill(-1);
  const subtreeEnd = new Int32Array(count);
  const depth = new Int32Array(count);
  let next = 0;
  const stack: number[] = [];

  const walk = (root: number) => {
    // Pre-order with an explicit stack; subtree ends are filled when a node's last descendant is placed.
    stack.push(root);
    depth[root] = parent[root]! >= 0 && position[parent[root]!]! >= 0 ? depth[parent[root]!]! + 1 : 0;
    while (stack.length > 0) {
      const node = stack.pop()!;
      if (position[node]! >= 0) continue;
      position[node] = next;
      order[next++] = node;
      for (let c = childStart[node + 1]! - 1; c >= childStart[node]!; c--) {
        const child = children[c]!;
        if (position[child]! >= 0) continue;
        depth[child] = depth[node]! + 1;
        stack.push(child);
      }
    }
  };

  const roots: number[] = [];
  for (let i = 0; i < count; i++) if (parent[i] === -1) roots.push(i);
  roots.sort(byStart);
  for (const root of roots) walk(root);
  for (let i = 0; i < count; i++) {
    if (position[i] === -1) {
      if (parent[i]! >= 0) childCount[parent[i]!]!--;
      parent[i] = -1; // breaks a cycle: this span becomes a root
      walk(i);
    }
  }

  // A subtree ends where the next node at the same or a shallower depth begins.
  const open: number[] = [];
  for (let pos = 0; pos < count; pos++) {
    const d = depth[order[pos]!]!;
    while (open.length > 0 && depth[order[open[open.length - 1]!]!]! >= d) subtreeEnd[open.pop()!] = pos;
    open.push(pos);
  }
  while (open.length > 0) subtreeEnd[open.pop()!] = count;

  const siblingIndex = new Int32Array(count);
  const siblingCount = new Int32Array(count);
  const seenChildren = new Int32Array(count);
  let rootsSeen = 0;
  let rootCount = 0;
  for (let i = 0; i < count; i++) if (parent[i] === -1) rootCount++;
  for (let pos = 0; pos < count; pos++) {
    const span = order[pos]!;
    const p = parent[span]!;
    if (p === -1) {
      siblingIndex[span] = ++rootsSeen;
      siblingCount[span] = rootCount;
    } else {
      siblingIndex[span] = ++seenChildren[p]!;
      siblingCount[span] = childCount[p]!;
    }
  }

  return { count, order, position, subtreeEnd, parent, depth, childCount, siblingIndex, siblingCount, t0, t1 };
}
