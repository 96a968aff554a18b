import { createReadStream } from 'node:fs';

/** Lines longer than this are reported, not parsed: one such line must not exhaust memory. */
export const DEFAULT_MAX_LINE_BYTES = 64 * 1024 * 1024;

export type JsonlLine =
  | { line: number; text: string; tooLong?: undefined }
  | { line: number; text?: undefined; tooLong: { bytes: number } };

/**
 * Streams a JSON Lines file line by line with 1-based line numbers, never holding more than
 * one line (up to `maxLineBytes`) in memory. Blank lines are skipped; a line over the limit is
 * yielded as `tooLong` with its size, and reading goes on after it.
 */
export async function* readJsonlLines(
  file: string,
  options: { maxLineBytes?: number; start?: number; onChunk?: (chunk: Buffer) => void } = {},
): AsyncGenerator<JsonlLine> {
  const maxLineBytes = options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES;
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let overflow = 0; // bytes of a too-long line skipped so far
  let lineNumber = 0;

  for await (const chunk of createReadStream(file, { highWaterMark: 1 << 20, start: options.start }) as AsyncIterable<Buffer>) {
    options.onChunk?.(chunk);
    let from = 0;
    for (;;) {
      const newline = chunk.indexOf(10, from);
      if (newline === -1) break;
      lineNumber++;
      if (overflow > 0) {
        yield { line: lineNumber, tooLong: { bytes: overflow + newline - from } };
        overflow = 0;
      } else if (pendingBytes + newline - from > maxLineBytes) {
        yield { line: lineNumber, tooLong: { bytes: pendingBytes + newline - from } };
      } else {
        const text =
          pendingBytes === 0
            ? chunk.toString('utf8', from, newline)
            : Buffer.concat([...pending, chunk.subarray(from, newline)]).toString('utf8');
        if (text.trim() !== '') yield { line: lineNumber, text };
      }
      pending = [];
      pendingBytes = 0;
      from = newline + 1;
    }
    const restBytes = chunk.length - from;
    if (restBytes === 0) continue;
    if (overflow > 0 || pendingBytes + restBytes > maxLineBytes) {
      overflow += pendingBytes + restBytes;
      pending = [];
      pendingBytes = 0;
    } else {
      pending.push(chunk.subarray(from));
      pendingBytes += restBytes;
    }
  }
  if (overflow > 0) {
    yield { line: lineNumber + 1, tooLong: { bytes: overflow } };
  } else if (pendingBytes > 0) {
    const text = Buffer.concat(pending).toString('utf8');
    if (text.trim() !== '') yield { line: lineNumber + 1, text };
  }
}
