import { copyFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { FileFormatError } from '../../../src/errors/index.ts';
import { readJsonlLines } from '../../../src/store/jsonl-reader.ts';
import { RUN_FILES } from '../../../src/store/layout.ts';
import { parseTraceLine } from '../../../src/store/parse-trace.ts';

/** At most this many bad lines are reported in full; the rest are counted. */
const MAX_REPORTED = 20;

export type TracesCheck = { kind: 'valid'; traces: number } | { kind: 'invalid'; errors: FileFormatError[]; count: number };

/**
 * Checks every line of a JSONL file of traces against the trace schema before anything is
 * recorded, so a bad file is rejected whole with file:line errors instead of half-ingested.
 */
export async function checkTracesFile(file: string): Promise<TracesCheck> {
  const errors: FileFormatError[] = [];
  let count = 0;
  let traces = 0;
  for await (const entry of readJsonlLines(file)) {
    try {
      parseTraceLine(entry, file);
      traces++;
    } catch (error) {
      count++;
      if (errors.length < MAX_REPORTED) errors.push(error as FileFormatError);
    }
  }
  return count === 0 ? { kind: 'valid', traces } : { kind: 'invalid', errors, count };
}

/** Puts a checked file into a run as its `traces.jsonl`, byte for byte. */
export async function ingestTracesFile(file: string, runDir: string): Promise<void> {
  await copyFile(file, join(runDir, RUN_FILES.traces));
}
