export interface WordDiffOp {
  op: 'equal' | 'insert' | 'delete';
  text: string;
}

/** Above this many edits the diff is given up as "everything replaced" (keeps the worst case bounded). */
const DEFAULT_MAX_EDITS = 2000;

/**
 * A word-level diff of two texts: tokens are runs of letters/digits, runs of whitespace and
 * single other characters, compared with Myers' O((N + M)·D) shortest-edit algorithm after
 * trimming the common prefix and suffix. Adjacent operations of one kind are merged, so the
 * concatenation of `equal` + `delete` texts is `before`, and of `equal` + `insert` is `after`.
 * When more than `maxEdits` tokens differ the result is one delete and one insert.
 */
export function wordDiff(before: string, after: string, maxEdits = DEFAULT_MAX_EDITS): WordDiffOp[] {
  const a = tokenize(before);
  const b = tokenize(after);
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
    endA--;
    endB--;
  }
  const ops: WordDiffOp[] = [];
  const push = (op: WordDiffOp['op'], text: string) => {
    if (text === '') return;
    const last = ops[ops.length - 1];
    if (last && last.op === op) last.text += text;
    else ops.push({ op, text });
  };
  push('equal', a.slice(0, start).join(''));
  const middle = myers(a.slice(start, endA), b.slice(start, endB), maxEdits);
  if (middle === null) {
    push('delete', a.slice(start, endA).join(''));
    push('insert', b.slice(start, endB).join(''));
  } else {
    for (const op of middle) push(op.op, op.text);
  }
  push('equal', a.slice(endA).join(''));
  return ops;
}

const TOKEN = /[\p{L}\p{N}_]+|\s+|[^\p{L}\p{N}_\s]/gu;

function tokenize(text: string): string[] {
  return text.match(TOKEN) ?? [];
}

/** Myers' greedy algorithm with one saved frontier per edit step, walked back for the script. */
function myers(a: readonly string[], b: readonly string[], maxEdits: number): WordDiffOp[] | null {
  const n = a.length;
  const m = b.length;
  if (n === 0 && m === 0) return [];
  const max = Math.min(n + m, maxEdits);
  const offset = max + 1;
  let v = new Int32Array(2 * max + 3);
  const trace: Int32Array[] = [];
  let found = -1;
  for (let d = 0; d <= max; d++) {
    // Only diagonals −d−1 … d+1 can be read when walking back from step d: keep just those.
    trace.push(v.slice(offset - d - 1, offset + d + 2));
    const next = v.slice();
    for (let k = -d; k <= d; k += 2) {
      let x: number;
      if (k === -d || (k !== d && (v[offset + k - 1] as number) < (v[offset + k + 1] as number))) x = v[offset + k + 1] as number;
      else x = (v[offset + k - 1] as number) + 1;
      let y = x - k;
      while (x < n && y < m && a[x] === b[y]) {
        x++;
        y++;
      }
      next[offset + k] = x;
      if (x >= n && y >= m) {
        found = d;
        break;
      }
    }
    v = next;
    if (found >= 0) break;
  }
  if (found < 0) return null;
  // Walk back from (n, m) through the saved frontiers.
  const reversed: WordDiffOp[] = [];
  let x = n;
  let y = m;
  for (let d = found; d > 0; d--) {
    const prev = trace[d] as Int32Array;
    const at = (diagonal: number) => prev[diagonal + d + 1] as number;
    const k = x - y;
    const down = k === -d || (k !== d && at(k - 1) < at(k + 1));
    const prevK = down ? k + 1 : k - 1;
    const prevX = at(prevK);
    const prevY = prevX - prevK;
    while (x > prevX && y > prevY) {
      reversed.push({ op: 'equal', text: a[x - 1] as string });
      x--;
      y--;
    }
    if (down) reversed.push({ op: 'insert', text: b[prevY] as string });
    else reversed.push({ op: 'delete', text: a[prevX] as string });
    x = prevX;
    y = prevY;
  }
  while (x > 0 && y > 0) {
    reversed.push({ op: 'equal', text: a[x - 1] as string });
    x--;
    y--;
  }
  return reversed.reverse();
}
