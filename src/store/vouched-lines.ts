import { hash } from 'node:crypto';

/**
 * Lines of `traces.jsonl` this process wrote from traces it had already checked against the
 * trace schema, known by their SHA-256. Sealing, in the same process, parses a line it finds
 * here without the schema's second pass (a fifth of `labbook run`'s CPU for received traces):
 * the digest says the bytes on disk are the ones checked, so nothing written by anyone else,
 * or changed since, is trusted. Only digests are kept: 100,000 traces hold about 10 MB.
 */
export class VouchedLines {
  readonly #digests = new Set<string>();

  /** `line` (without its newline) is a trace that passes `traceSchema` as written. */
  add(line: string): void {
    this.#digests.add(digest(line));
  }

  has(line: string): boolean {
    return this.#digests.size > 0 && this.#digests.has(digest(line));
  }

  get size(): number {
    return this.#digests.size;
  }
}

function digest(line: string): string {
  return hash('sha256', line, 'base64');
}
