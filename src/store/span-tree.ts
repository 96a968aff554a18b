import type { Trace } from '../../schemas/trace.ts';

interface SpanTreeProblem {
  kind: 'duplicate-span-id' | 'orphan-span' | 'parent-cycle';
  spanId: string;
  message: string;
}

/**
 * Checks the span tree of one trace. Duplicate ids are errors (a tree cannot be drawn); a
 * parent id that names no span makes an orphan, shown as a root with a warning, since
 * exporters produce them routinely; a parent chain that loops is an error.
 */
export function checkSpanTree(trace: Trace): SpanTreeProblem[] {
  const problems: SpanTreeProblem[] = [];
  const parentOf = new Map<string, string | null>();
  for (const span of trace.spans) {
    if (parentOf.has(span.id)) {
      problems.push({ kind: 'duplicate-span-id', spanId: span.id, message: `span id "${span.id}" appears more than once` });
    } else {
      parentOf.set(span.id, span.parentId);
    }
  }
  for (const [id, parent] of parentOf) {
    if (parent !== null && !parentOf.has(parent)) {
      problems.push({
        kind: 'orphan-span',
        spanId: id,
        message: `span "${id}" names parent "${parent}", which is not in the trace; shown as a root`,
      });
    }
  }
  // A cycle: walking up from a span returns to a span already on the path.
  const settled = new Set<string>();
  for (const start of parentOf.keys()) {
    const path = new Set<string>();
    let current: string | null | undefined = start;
    while (current != null && parentOf.has(current) && !settled.has(current)) {
      if (path.has(current)) {
        problems.push({
          kind: 'parent-cycle',
          spanId: current,
          message: `span "${current}" is its own ancestor (parent ids form a cycle)`,
        });
        break;
      }
      path.add(current);
      current = parentOf.get(current);
    }
    for (const id of path) settled.add(id);
  }
  return problems;
}
