import type { Trace } from '../../schemas/trace.ts';

interface SpanTreeProblem {
  kind: 'duplicate-span-id' | 'orphan-span' | 'parent-cycle';
  spanId: string;
  message: string;
}

const ON_PATH = 1;
const SETTLED = 2;

/**
 * Checks the span tree of one trace. Duplicate ids are errors (a tree cannot be drawn); a
 * parent id that names no span makes an orphan, shown as a root with a warning, since
 * exporters produce them routinely; a parent chain that loops is an error.
 */
export function checkSpanTree(trace: Trace): SpanTreeProblem[] {
  const problems: SpanTreeProblem[] = [];
  const spans = trace.spans;
  // Spans by position: one map from id to the first span with it, and two small arrays, since
  // this runs for every trace written and every trace a seal reads.
  const first = new Map<string, number>();
  for (let i = 0; i < spans.length; i++) {
    const id = spans[i]!.id;
    if (first.has(id)) problems.push({ kind: 'duplicate-span-id', spanId: id, message: `span id "${id}" appears more than once` });
    else first.set(id, i);
  }
  /** Each first span's parent by position: -1 for a root or an orphan, and for a duplicate. */
  const parentAt = new Int32Array(spans.length).fill(-1);
  for (let i = 0; i < spans.length; i++) {
    const { id, parentId } = spans[i]!;
    if (parentId === null || first.get(id) !== i) continue;
    const parent = first.get(parentId);
    if (parent !== undefined) parentAt[i] = parent;
    else
      problems.push({
        kind: 'orphan-span',
        spanId: id,
        message: `span "${id}" names parent "${parentId}", which is not in the trace; shown as a root`,
      });
  }
  // A cycle: walking up from a span returns to a span already on the path.
  const state = new Uint8Array(spans.length);
  const path: number[] = [];
  for (let start = 0; start < spans.length; start++) {
    for (let current = start; current !== -1; current = parentAt[current]!) {
      if (state[current] === SETTLED) break;
      if (state[current] === ON_PATH) {
        const spanId = spans[current]!.id;
        problems.push({ kind: 'parent-cycle', spanId, message: `span "${spanId}" is its own ancestor (parent ids form a cycle)` });
        break;
      }
      state[current] = ON_PATH;
      path.push(current);
    }
    for (const at of path) state[at] = SETTLED;
    path.length = 0;
  }
  return problems;
}
