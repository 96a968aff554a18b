import { diffWordsWithSpace } from 'diff';

export interface WordDiffOp {
  op: 'equal' | 'insert' | 'delete';
  text: string;
}

/** Above this many edits the diff is given up as "everything replaced" (keeps the worst case bounded). */
const DEFAULT_MAX_EDITS = 2000;

/**
 * A word-level diff of two texts, by jsdiff's `diffWordsWithSpace` (Myers' algorithm over words,
 * whitespace runs and punctuation, whitespace kept as tokens so nothing is lost). Adjacent
 * operations of one kind are merged, so the concatenation of `equal` + `delete` texts is
 * `before`, and of `equal` + `insert` is `after`. When more than `maxEdits` tokens differ
 * (jsdiff's `maxEditLength`) the result is one delete and one insert.
 */
export function wordDiff(before: string, after: string, maxEdits = DEFAULT_MAX_EDITS): WordDiffOp[] {
  const ops: WordDiffOp[] = [];
  const push = (op: WordDiffOp['op'], text: string) => {
    if (text === '') return;
    const last = ops[ops.length - 1];
    if (last && last.op === op) last.text += text;
    else ops.push({ op, text });
  };
  const changes = diffWordsWithSpace(before, after, { maxEditLength: maxEdits });
  if (changes === undefined) {
    push('delete', before);
    push('insert', after);
    return ops;
  }
  for (const change of changes) push(change.added ? 'insert' : change.removed ? 'delete' : 'equal', change.value);
  return ops;
}
