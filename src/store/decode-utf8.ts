import { FileFormatError } from '../errors/index.ts';

/** Fatal: a byte sequence that is not UTF-8 is reported, never replaced by U+FFFD in silence. */
const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** The text of UTF-8 bytes, or undefined when they are not UTF-8. A BOM is kept. */
export function decodeUtf8(bytes: Uint8Array): string | undefined {
  try {
    return utf8.decode(bytes);
  } catch {
    return undefined;
  }
}

/**
 * Decodes a whole file's bytes, or throws a `FileFormatError` naming the line and column
 * where the bytes stop being UTF-8.
 */
export function decodeUtf8File(bytes: Uint8Array, file: string): string {
  const text = decodeUtf8(bytes);
  if (text !== undefined) return text;
  const at = firstInvalidUtf8Byte(bytes);
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < at; i++) {
    if (bytes[i] === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return fail(file, line, at - lineStart + 1);
}

function fail(file: string, line: number, column: number): never {
  throw new FileFormatError({ file, line, column }, 'invalid UTF-8: the file must be UTF-8 text');
}

/** The offset of the first byte of the first sequence that is not UTF-8. */
export function firstInvalidUtf8Byte(bytes: Uint8Array): number {
  // Bisect on prefixes: the longest prefix that decodes ends where the bad sequence starts.
  let good = 0;
  let bad = bytes.length;
  while (bad - good > 1) {
    const mid = (good + bad) >>> 1;
    try {
      // Streaming: a prefix that ends inside a sequence is not an error, an invalid byte is.
      new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(0, mid), { stream: true });
      good = mid;
    } catch {
      bad = mid;
    }
  }
  return good;
}
