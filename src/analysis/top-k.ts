/**
 * The k largest items of a stream by a score, in O(n log k) time and O(k) memory: a min-heap
 * whose root is the smallest item kept, replaced whenever a larger one arrives. Among equal
 * scores the item seen first is kept, so the result does not depend on heap internals.
 */
export class TopK<T> {
  readonly #k: number;
  readonly #heap: Array<{ score: number; seq: number; item: T }> = [];
  #seq = 0;

  constructor(k: number) {
    if (!Number.isInteger(k) || k < 0) throw new RangeError(`k must be a non-negative integer, got ${k}`);
    this.#k = k;
  }

  add(score: number, item: T): void {
    if (Number.isNaN(score) || this.#k === 0) return;
    const entry = { score, seq: this.#seq++, item };
    const heap = this.#heap;
    if (heap.length < this.#k) {
      heap.push(entry);
      this.#up(heap.length - 1);
    } else if (this.#less(heap[0]!, entry)) {
      heap[0] = entry;
      this.#down(0);
    }
  }

  /** The kept items, largest score first (ties: first seen first). */
  result(): Array<{ score: number; item: T }> {
    return [...this.#heap].sort((a, b) => b.score - a.score || a.seq - b.seq).map(({ score, item }) => ({ score, item }));
  }

  /** a ranks below b: a smaller score, or the same score seen later. */
  #less(a: { score: number; seq: number }, b: { score: number; seq: number }): boolean {
    return a.score < b.score || (a.score === b.score && a.seq > b.seq);
  }

  #up(i: number): void {
    const heap = this.#heap;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.#less(heap[i]!, heap[parent]!)) break;
      [heap[i], heap[parent]] = [heap[parent]!, heap[i]!];
      i = parent;
    }
  }

  #down(i: number): void {
    const heap = this.#heap;
    for (;;) {
      const left = 2 * i + 1;
      const right = left + 1;
      let smallest = i;
      if (left < heap.length && this.#less(heap[left]!, heap[smallest]!)) smallest = left;
      if (right < heap.length && this.#less(heap[right]!, heap[smallest]!)) smallest = right;
      if (smallest === i) return;
      [heap[i], heap[smallest]] = [heap[smallest]!, heap[i]!];
      i = smallest;
    }
  }
}
