import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { readFile } from 'node:fs/promises';
import { FileFormatError } from '../errors/index.ts';
import { decodeUtf8File } from '../store/decode-utf8.ts';
import { readJsonlLines } from '../store/jsonl-reader.ts';
import { jsonSyntaxError } from '../json/json-syntax-error.ts';
import { findBoundsViolation, formatFieldPath, VALUE_LIMITS } from '../../schemas/value-limits.ts';

/**
 * Bounds on one input document: a trace's own bounds apply when it is written, but the
 * importers walk the document first (recursively, when unflattening attributes), so its depth
 * is checked before they see it. OTLP wraps each value in a few levels of its own, hence twice
 * a trace's depth; sizes are only bound by the file's.
 */
const INPUT_LIMITS = { ...VALUE_LIMITS, depth: 2 * VALUE_LIMITS.depth, arrayLength: Infinity, objectKeys: Infinity, values: Infinity };

interface JsonRecord {
  value: unknown;
  file: string;
  /** Set for JSON Lines input: the line the record was on. */
  line?: number;
}

/**
 * Files larger than this cannot be one JSON document: V8 strings stop at about 512 MB. Such
 * files must be JSON Lines, as the OpenTelemetry Collector's file exporter writes them.
 */
const MAX_DOCUMENT_BYTES = 500 * 1024 * 1024;

interface ReadJsonOptions {
  /** A single document larger than this is refused (default MAX_DOCUMENT_BYTES), unless streamed. */
  maxDocumentBytes?: number;
  /**
   * Reads a single document larger than `wholeDocumentBytes` as a stream of values instead of
   * parsing it whole: the format's own reader, which knows what in the document is one record
   * (OTLP: a part of a request). Memory then holds a record, not the file.
   */
  streamDocument?: (file: string) => AsyncIterable<unknown>;
  /** Documents up to this size are parsed whole even with `streamDocument`: faster (default 16 MiB). */
  wholeDocumentBytes?: number;
}

/**
 * A document up to this size is parsed whole when it could be streamed: JSON.parse reads it
 * several times faster than a streaming tokenizer, and the objects it makes of 16 MiB stay near
 * 100 MB.
 */
const WHOLE_DOCUMENT_BYTES = 16 * 1024 * 1024;

/**
 * Reads a file that is either one JSON document (pretty-printed or not) or JSON Lines (one
 * document per line), yielding each document with its line. The first line decides: if it
 * parses alone, the file is JSON Lines and is streamed line by line; otherwise the whole file
 * is parsed as one document. Malformed or truncated JSON is a `FileFormatError` naming the
 * line and column. A large single document is streamed by `options.streamDocument`, when given.
 */
export async function* readJsonRecords(file: string, options: ReadJsonOptions = {}): AsyncGenerator<JsonRecord> {
  const size = (await stat(file)).size;
  if (size === 0) throw new FileFormatError({ file }, 'the file is empty');
  const whole = options.wholeDocumentBytes ?? WHOLE_DOCUMENT_BYTES;
  if (options.streamDocument && size > whole && (await firstLineLongerThan(file, whole))) {
    // A document on one line (or JSON Lines whose first line is this long) is not read as a line.
    yield* streamRecords(file, options.streamDocument);
    return;
  }
  let jsonLines = false;
  for await (const entry of readJsonlLines(file)) {
    if (entry.tooLong) {
      if (!jsonLines) break; // one long line: a single document, read whole below
      throw new FileFormatError(
        { file, line: entry.line },
        `line is ${entry.tooLong.bytes} bytes, over the limit for one JSON Lines record`,
      );
    }
    if (entry.invalidUtf8)
      throw new FileFormatError({ file, line: entry.line }, `invalid UTF-8 at byte ${entry.invalidUtf8.byte + 1} of the line`);
    const text = jsonLines ? entry.text : stripBom(entry.text);
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      if (!jsonLines) break;
      throw jsonSyntaxError(file, text, error, entry.line);
    }
    jsonLines = true;
    checkInputBounds(value, file, entry.line);
    yield { value, file, line: entry.line };
  }
  if (jsonLines) return;

  if (options.streamDocument && size > whole) {
    yield* streamRecords(file, options.streamDocument);
    return;
  }
  const limit = options.maxDocumentBytes ?? MAX_DOCUMENT_BYTES;
  if (size > limit) {
    throw new FileFormatError(
      { file },
      `${Math.round(size / 1e6)} MB is too large to read as one JSON document; write it as JSON Lines (one document per line, as the OpenTelemetry Collector's file exporter does)`,
    );
  }
  const text = stripBom(decodeUtf8File(await readFile(file), file));
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    if (error instanceof SyntaxError) throw jsonSyntaxError(file, text, error);
    throw error;
  }
  checkInputBounds(value, file);
  yield { value, file };
}

async function* streamRecords(file: string, stream: (file: string) => AsyncIterable<unknown>): AsyncGenerator<JsonRecord> {
  for await (const value of stream(file)) {
    checkInputBounds(value, file);
    yield { value, file };
  }
}

/** Whether the file's first line (up to its first newline, or its end) is over `limit` bytes; reads at most that far. */
async function firstLineLongerThan(file: string, limit: number): Promise<boolean> {
  let seen = 0;
  for await (const chunk of createReadStream(file, { end: limit, highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>) {
    if (chunk.includes(10)) return seen + chunk.indexOf(10) > limit;
    seen += chunk.length;
  }
  return seen > limit;
}

/**
 * Refuses a document nested deeper (or with longer strings) than an importer should walk: call
 * it on every request before `OtlpCollector.addRequest`, whether read from a file or a body.
 */
export function checkInputBounds(value: unknown, file: string, line?: number): void {
  const violation = findBoundsViolation(value, INPUT_LIMITS);
  if (violation) {
    throw new FileFormatError(
      { file, ...(line !== undefined ? { line } : {}), field: formatFieldPath(violation.path) || undefined },
      violation.message,
    );
  }
}

function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}
