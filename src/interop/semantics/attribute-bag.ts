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
  readonly consumed: string[] = [];
  readonly added: Record<string, unknown> = {};

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
    if (!this.consumed.includes(key)) this.consumed.push(key);
  }

  consumeAll(keys: readonly string[]): void {
    for (const key of keys) this.consume(key);
  }

  /**
   * The attributes not consumed, plus those added (normalised aliases). The source object is
   * changed in place and returned: building a copy of every span's attributes would double
   * what an import of millions of spans allocates.
   */
  remaining(): Record<string, unknown> {
    const source = this.source;
    for (const key of this.consumed) delete source[key];
    for (const key in this.added) setOwn(source, key, this.added[key]);
    return source;
  }
}
