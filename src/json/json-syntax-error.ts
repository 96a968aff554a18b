import { FileFormatError } from '../errors/file-format-error.ts';
import { jsonErrorOffset } from './json-error-offset.ts';
import { errorMessage } from '../errors/error-message.ts';

/**
 * A `JSON.parse` failure as a `FileFormatError` at the line and column where parsing stopped:
 * the one locator for every reader of JSON. V8 names a position for some errors only; the
 * scanner finds it for the others. `lineOffset` is the line the text starts on (JSON Lines).
 */
export function jsonSyntaxError(file: string, text: string, error: unknown, lineOffset?: number): FileFormatError {
  const message = errorMessage(error).replace(/\s*\(line \d+ column \d+\)/, '');
  // A RangeError (an engine whose parser recurses, on a deep document) has no position to find.
  const match = /at position (\d+)/.exec(message);
  const found = match ? Number(match[1]) : error instanceof SyntaxError ? jsonErrorOffset(text) : -1;
  const position = found >= 0 ? found : undefined;
  const truncated = position !== undefined && position >= text.length;
  let line: number | undefined;
  let column: number | undefined;
  if (position !== undefined) {
    ({ line, column } = lineAndColumn(text, position));
    if (lineOffset !== undefined) line = lineOffset + line - 1;
  } else if (lineOffset !== undefined) {
    line = lineOffset;
  }
  // A byte-order mark is invisible in an editor: "Unexpected token ''" would show nothing.
  const bom = position !== undefined && text.charCodeAt(position) === 0xfeff;
  const detail = bom
    ? 'malformed JSON: a UTF-8 byte-order mark (U+FEFF) where JSON starts; save the file as UTF-8 without one'
    : truncated
      ? `truncated JSON: the input ends before the document does (${message})`
      : `malformed JSON: ${message}`;
  return new FileFormatError({ file, ...(line !== undefined ? { line } : {}), ...(column !== undefined ? { column } : {}) }, detail, {
    cause: error,
  });
}

function lineAndColumn(text: string, position: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  const end = Math.min(position, text.length);
  for (let i = text.indexOf('\n'); i !== -1 && i < end; i = text.indexOf('\n', i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { line, column: end - lineStart + 1 };
}
