import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { streamMlflowFiles } from '../../../src/interop/mlflow/import-mlflow.ts';
import { streamOtlpFiles } from '../../../src/interop/otlp/read-otlp-files.ts';
import { formatImportReport } from '../../../src/interop/format-import-report.ts';
import { LabbookError } from '../../../src/errors/index.ts';
import type { FileFormatError } from '../../../src/errors/index.ts';
import { readJsonlLines } from '../../../src/store/jsonl-reader.ts';
import { adoptTracesFile } from '../../../src/store/run-writer.ts';
import { parseTraceLine } from '../../../src/store/parse-trace.ts';

/** At most this many bad lines are reported in full; the rest are counted. */
const MAX_REPORTED = 20;

type TracesCheck = { kind: 'valid'; traces: number } | { kind: 'invalid'; errors: FileFormatError[]; count: number };

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
  await adoptTracesFile(runDir, file);
}

/**
 * Converts OTLP or MLflow traces (a file or a folder) into a JSONL file of Labbook traces in a
 * temporary folder, printing what was mapped and what could not be, as `labbook import` does.
 * The converted file then goes through the same check and ingestion as a Labbook JSONL file.
 * Traces are streamed into it as they complete, so memory holds the traces in flight only.
 */
export async function convertTraces(path: string, format: 'otlp' | 'mlflow', log: (text: string) => void): Promise<string> {
  const stream = format === 'otlp' ? streamOtlpFiles(path) : streamMlflowFiles(path);
  const dir = await mkdtemp(join(process.env.RUNNER_TEMP || tmpdir(), 'labbook-import-'));
  const file = join(dir, 'traces.jsonl');
  const out = createWriteStream(file);
  let count = 0;
  try {
    for await (const trace of stream.traces) {
      count++;
      if (!out.write(`${JSON.stringify(trace)}\n`)) await once(out, 'drain');
    }
  } finally {
    out.end();
    await once(out, 'close');
  }
  if (count === 0) throw new LabbookError(`input "traces": no ${format} traces found in ${path}`);
  const { summary, warnings } = formatImportReport(stream.report.finish());
  log(`${[...summary, ...warnings].join('\n')}\n`);
  return file;
}
