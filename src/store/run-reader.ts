import { lstat, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { runMetricsSchema, type RunMetrics } from '../../schemas/metrics.ts';
import { runManifestSchema, type RunManifest } from '../../schemas/run-manifest.ts';
import type { Trace } from '../../schemas/trace.ts';
import { FileFormatError, LabbookError } from '../errors/index.ts';
import { readJsonlLines } from './jsonl-reader.ts';
import { notOwnFile, streamTraceLines, type TraceLine } from './trace-storage.ts';
import { RUN_FILES } from './layout.ts';
import { parseTraceLine } from './parse-trace.ts';
import { decodeUtf8File } from './decode-utf8.ts';
import { VALUE_LIMITS } from '../../schemas/value-limits.ts';
import { parseJson } from '../json/parse-json.ts';
import type { z } from 'zod';
import { errorMessage } from '../errors/error-message.ts';

/**
 * Reads and checks a JSON file against a schema; errors name the file and the field. The file
 * must be UTF-8 and within `VALUE_LIMITS` (size, depth, lengths) before the schema sees it.
 *
 * `ownFile`: the file is one of a run's own, read only as a regular file, never through a link
 * (see notOwnFile). Any file must be regular: a device or a pipe has no end to read to.
 */
export async function readJsonFile<T>(file: string, schema: z.ZodType<T>, options: { ownFile?: boolean } = {}): Promise<T> {
  let bytes: Buffer;
  try {
    const found = await (options.ownFile ? lstat(file) : stat(file));
    if (!found.isFile())
      throw options.ownFile
        ? notOwnFile(file, found)
        : new FileFormatError({ file }, `${found.isDirectory() ? 'a folder' : 'not a regular file'}, not a JSON file`);
    const size = found.size;
    if (size > VALUE_LIMITS.fileBytes)
      throw new FileFormatError({ file }, `${size} bytes, over the limit of ${VALUE_LIMITS.fileBytes} for a JSON file`);
    bytes = await readFile(file);
  } catch (error) {
    if (error instanceof FileFormatError) throw error;
    throw new LabbookError(`cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? errorMessage(error)}`, { cause: error });
  }
  return parseJson(decodeUtf8File(bytes, file), schema, { file });
}

export function readRunManifest(dir: string): Promise<RunManifest> {
  return readJsonFile(join(dir, RUN_FILES.manifest), runManifestSchema, { ownFile: true });
}

export function readRunMetrics(dir: string): Promise<RunMetrics> {
  return readJsonFile(join(dir, RUN_FILES.metrics), runMetricsSchema, { ownFile: true });
}

export interface StreamTracesOptions {
  /**
   * Called for a line that is not a valid trace. Without it the first bad line throws;
   * with it, reading goes on (validation and finishing a run collect every problem).
   */
  onError?: (error: FileFormatError) => void;
  maxLineBytes?: number;
  /** Sees every raw chunk read, e.g. to hash the file in the same pass. */
  onChunk?: (chunk: Buffer) => void;
  /**
   * Treat a trace whose id an earlier line already used as a bad line (reported to `onError`,
   * or thrown): readers that key rows by id (exports, the site) keep the first, as `validate`
   * and the run's metrics do, instead of writing both.
   */
  uniqueIds?: boolean;
  /** See `StreamTraceLinesOptions.onStorageError`: a corrupt or missing chunk throws without it. */
  onStorageError?: (error: FileFormatError) => void;
  /** The run's manifest when the caller has it (it lists the trace chunks); else it is read. */
  manifest?: RunManifest;
}

/**
 * Streams the traces of a run folder one at a time, in order, from its chunks or its plain
 * `traces.jsonl` (see trace-storage.ts); a path ending in `.jsonl` is read as that one file.
 */
export async function* streamTraces(dirOrFile: string, options: StreamTracesOptions = {}): AsyncGenerator<Trace> {
  const firstLineOf = options.uniqueIds ? new Map<string, { file: string; line: number }>() : undefined;
  for await (const { file, entry } of traceLinesOf(dirOrFile, options)) {
    try {
      const trace = parseTraceLine(entry, file);
      if (firstLineOf) {
        const first = firstLineOf.get(trace.id);
        if (first !== undefined) throw repeatedTraceId(trace.id, { file, line: entry.line }, first);
        firstLineOf.set(trace.id, { file, line: entry.line });
      }
      yield trace;
    } catch (error) {
      if (!(error instanceof FileFormatError) || !options.onError) throw error;
      options.onError(error);
    }
  }
}

/** The error for a trace id seen before: the copy at `at` is skipped; the first one counts. */
export function repeatedTraceId(id: string, at: { file: string; line: number }, first: { file: string; line: number }): FileFormatError {
  return new FileFormatError(
    { file: at.file, line: at.line, field: 'id' },
    `trace id ${JSON.stringify(id)} appears more than once (first on line ${first.line}${first.file === at.file ? '' : ` of ${first.file}`}); this copy is skipped`,
  );
}

async function* traceLinesOf(dirOrFile: string, options: StreamTracesOptions): AsyncGenerator<TraceLine> {
  if (dirOrFile.endsWith('.jsonl')) {
    for await (const entry of readJsonlLines(dirOrFile, { maxLineBytes: options.maxLineBytes, onChunk: options.onChunk }))
      yield { file: dirOrFile, entry };
    return;
  }
  yield* streamTraceLines(dirOrFile, options);
}
