/**
 * An append-only Float64Array that doubles when full: per-trace numbers of a 100,000-trace run
 * cost 8 bytes each instead of a boxed JS number in a regular array.
 */
export class GrowableFloat64Array {
  #data: Float64Array;
  #length = 0;

  constructor(initialCapacity = 256) {
    this.#data = new Float64Array(Math.max(1, initialCapacity));
  }

  get length(): number {
    return this.#length;
  }

  push(value: number): void {
    if (this.#length === this.#data.length) {
      const next = new Float64Array(this.#data.length * 2);
      next.set(this.#data);
      this.#data = next;
    }
    this.#data[this.#length++] = value;
  }

  /** A view of the filled part (shares memory; copy before sorting if the order matters). */
  view(): Float64Array {
    return this.#data.subarray(0, this.#length);
  }
}
