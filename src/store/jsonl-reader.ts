import { createReadStream } from 'node:fs';
import { VALUE_LIMITS } from '../../schemas/value-limits.ts';
import { decodeUtf8, firstInvalidUtf8Byte } from './decode-utf8.ts';

/** Lines longer than this are reported, not parsed: one such line must not exhaust memory. */
export const DEFAULT_MAX_LINE_BYTES = VALUE_LIMITS.lineBytes;

export type JsonlLine =
  | { line: number; text: string; tooLong?: undefined; invalidUtf8?: undefined }
  | { line: number; text?: undefined; tooLong: { bytes: number }; invalidUtf8?: undefined }
  /** The line's bytes are not UTF-8; `byte` is the 0-based offset in the line where decoding failed. */
  | { line: number; text?: undefined; tooLong?: undefined; invalidUtf8: { byte: number } };

/**
 * A line holding only JSON whitespace (space, tab, CR) is skipped by every reader. Judged on the
 * bytes, so the chunk writer counts exactly the lines a reader will yield.
 */
function isBlankLine(bytes: Uint8Array): boolean {
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i];
    if (b !== 32 && b !== 9 && b !== 13) return false;
  }
  return true;
}

/** Decodes one line, or says where its bytes stop being UTF-8. */
function decodeLine(line: number, bytes: Buffer): JsonlLine | undefined {
  if (isBlankLine(bytes)) return undefined;
  const text = decodeUtf8(bytes);
  if (text === undefined) return { line, invalidUtf8: { byte: firstInvalidUtf8Byte(bytes) } };
  return { line, text };
}

/**
 * Streams a JSON Lines file line by line with 1-based line numbers, never holding more than
 * one line (up to `maxLineBytes`) in memory. Blank lines are skipped; a line over the limit is
 * yielded as `tooLong` with its size, and reading goes on after it.
 */
export function readJsonlLines(
  file: string,
  options: { maxLineBytes?: number; start?: number; onChunk?: (chunk: Buffer) => void } = {},
): AsyncGenerator<JsonlLine> {
  return splitJsonlLines(createReadStream(file, { highWaterMark: 1 << 20, start: options.start }) as AsyncIterable<Buffer>, options);
}

/** `readJsonlLines` over any byte stream (a gunzipped chunk, say). */
export async function* splitJsonlLines(
  source: AsyncIterable<Buffer>,
  options: {
    maxLineBytes?: number;
    onChunk?: (chunk: Buffer) => void;
    /** Lines before the source's first byte (a file read from the middle): numbering goes on from there. */
    linesBefore?: number;
  } = {},
): AsyncGenerator<JsonlLine> {
  const maxLineBytes = options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES;
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let overflow = 0; // bytes of a too-long line skipped so far
  let lineNumber = options.linesBefore ?? 0;

  for await (const chunk of source) {
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
        const bytes = pendingBytes === 0 ? chunk.subarray(from, newline) : Buffer.concat([...pending, chunk.subarray(from, newline)]);
        const decoded = decodeLine(lineNumber, bytes);
        if (decoded) yield decoded;
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
    const decoded = decodeLine(lineNumber + 1, Buffer.concat(pending));
    if (decoded) yield decoded;
  }
}
