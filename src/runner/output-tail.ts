/**
 * Keeps the last `limit` characters of a stream's text: a run records how its command
 * ended without storing megabytes of logs.
 */
export class OutputTail {
  #chunks: string[] = [];
  #length = 0;
  #dropped = false;
  constructor(readonly limit = 8192) {}

  push(text: string): void {
    this.#chunks.push(text);
    this.#length += text.length;
    while (this.#length - (this.#chunks[0]?.length ?? 0) >= this.limit && this.#chunks.length > 1) {
      this.#length -= this.#chunks.shift()!.length;
      this.#dropped = true;
    }
  }

  toString(): string {
    const text = this.#chunks.join('');
    if (text.length <= this.limit && !this.#dropped) return text;
    return `…${text.slice(-this.limit)}`;
  }
}
