import { parseJsonLoose, setOwn } from '../json-value.ts';

/**
 * A span's attributes while they are read: values are looked up, keys that became Labbook
 * fields are marked consumed, and `remaining()` returns the rest. Spans carry a handful of
 * keys, so `consumed` is an array: cheaper than a Set at this size, over millions of spans.
 */
export class AttributeBag {
  readonly source: Record<string, unknown>;
  /** False when `mlflow.*` values were already decoded (the MLflow importer decodes every value). */
  readonly mlflowEncoded: boolean;
  /** Made on the first `consume` and `add`: a span's empty list and object were a tenth of reading it. */
  #consumed: string[] | undefined;
  #added: Record<string, unknown> | undefined;

  constructor(source: Record<string, unknown>, mlflowEncoded: boolean) {
    this.source = source;
    this.mlflowEncoded = mlflowEncoded;
  }

  has(key: string): boolean {
    return Object.hasOwn(this.source, key) && this.source[key] !== undefined;
  }

  get(key: string): unknown {
    return Object.hasOwn(this.source, key) ? this.source[key] : undefined;
  }

  /** A value with MLflow's JSON encoding undone (for `mlflow.*` keys). */
  getMlflow(key: string): unknown {
    const value = this.source[key];
    return this.mlflowEncoded ? parseJsonLoose(value) : value;
  }

  consume(key: string): void {
    if (this.#consumed === undefined) this.#consumed = [key];
    else if (!this.#consumed.includes(key)) this.#consumed.push(key);
  }

  /** Sets a key that is not the span's own (a normalised alias), kept by `remaining()`. */
  add(key: string, value: unknown): void {
    setOwn((this.#added ??= {}), key, value);
  }

  /** How many keys `remaining()` has: the source's, less those consumed, plus those added. */
  remainingCount(sourceKeys: number): number {
    let added = 0;
    for (const key in this.#added) if (!Object.hasOwn(this.source, key) || this.#consumed?.includes(key)) added++;
    return sourceKeys - (this.#consumed?.length ?? 0) + added;
  }

  consumeAll(keys: readonly string[]): void {
    for (const key of keys) this.consume(key);
  }

  /**
   * The attributes not consumed, plus those added (normalised aliases). The source is returned
   * as it is when nothing was consumed; otherwise the kept keys are copied into a new object.
   * Deleting them in place would be shorter, but V8 turns an object that loses properties
   * into a hash table (about 440 bytes for a span's handful of keys against 40 for a copy),
   * which a million imported spans then hold.
   */
  remaining(): Record<string, unknown> {
    const source = this.source;
    const consumed = this.#consumed;
    let kept = source;
    if (consumed !== undefined) {
      kept = {};
      for (const key in source) if (!consumed.includes(key)) setOwn(kept, key, source[key]);
    }
    for (const key in this.#added) setOwn(kept, key, this.#added[key]);
    return kept;
  }
}
