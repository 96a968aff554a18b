import { resolve } from 'node:path';
import { countNoun } from '../text/count-noun.ts';
import { LabbookError } from '../errors/index.ts';
import { traceLine } from './trace-line.ts';
import { readCodeInfo } from '../provenance/git-info.ts';
import { sourceFromEnv } from '../provenance/source-from-env.ts';
import { finishRun, type FinishRunResult } from '../store/finish-run.ts';
import { DEFAULT_MAX_LINE_BYTES } from '../store/jsonl-reader.ts';
import { createRun } from '../store/run-writer.ts';
import { TraceWriter } from '../store/trace-writer.ts';
import type { ImportReport } from './import-report.ts';
import { streamMlflowFiles } from './mlflow/import-mlflow.ts';
import { streamOtlpFiles } from './otlp/read-otlp-files.ts';
import { errorMessage } from '../errors/error-message.ts';

export const IMPORT_FORMATS = ['otlp', 'mlflow'] as const;
export type ImportFormat = (typeof IMPORT_FORMATS)[number];

export interface ImportRunOptions {
  format: ImportFormat;
  /** Files or folders to read. */
  paths: readonly string[];
  dataDir: string;
  rootDir: string;
  cwd: string;
  env: NodeJS.ProcessEnv;
  experiment: string;
  configPath: string;
  name?: string;
  /** A trace whose line would be longer than this is not written (readers refuse such lines). */
  maxTraceBytes?: number;
  /** OTLP: spans read after a trace's root before it is written (FILE_GRACE_SPANS by default). */
  graceSpans?: number;
  /** Told where the traces went when the input fails part way (the error itself is thrown). */
  log?: (line: string) => void;
}

/** A trace the importer read but could not store, and why. */
export interface RejectedTrace {
  id: string;
  reason: string;
}

export interface ImportRunResult {
  dir: string;
  report: ImportReport;
  rejected: RejectedTrace[];
  finished: FinishRunResult;
}

/**
 * `labbook import`: reads traces written elsewhere (OTLP or MLflow trace JSON) and makes a run
 * of them, creating the experiment if it does not exist. The input is streamed: each trace is
 * written as soon as it is complete, so memory holds the traces in flight, not the file. The
 * run is created when the first trace is ready, so a file that is not what `format` says
 * leaves nothing behind. A trace the run cannot hold (invalid after mapping, or one line
 * longer than a reader accepts) is not written, nor are OTLP spans that came after their trace
 * was written; the run is then `partial` and says how many and why. Input that turns out
 * malformed after traces were written stops the import: those traces stay, the run is sealed
 * `failed` with the error as its reason, and the error is thrown.
 */
export async function importRun(options: ImportRunOptions): Promise<ImportRunResult> {
  const paths = options.paths.map((path) => resolve(options.cwd, path));
  const stream =
    options.format === 'otlp'
      ? streamOtlpFiles(paths, options.graceSpans !== undefined ? { graceSpans: options.graceSpans } : {})
      : { ...streamMlflowFiles(paths), late: undefined };
  const rejected: RejectedTrace[] = [];
  const maxBytes = options.maxTraceBytes ?? DEFAULT_MAX_LINE_BYTES;
  let run: { dir: string; writer: TraceWriter } | undefined;
  let read = 0;
  let written = 0;
  try {
    for await (const trace of stream.traces) {
      run ??= await openRun(options);
      read++;
      const line = traceLine(trace, maxBytes);
      if ('reason' in line) rejected.push({ id: trace.id, reason: line.reason });
      else {
        run.writer.appendLine(line.json, line.trace, { treeChecked: true }); // assembled: its tree repaired
        written++;
      }
    }
  } catch (error) {
    if (run) {
      run.writer.close();
      await finishRun(run.dir, { status: 'failed', statusReason: `import stopped after ${written} traces: ${errorMessage(error)}` });
      options.log?.(
        `the run ${run.dir} keeps the ${written} traces written before the error (sealed as failed); traces still being read were left out`,
      );
    }
    throw error;
  }
  if (!run) throw new LabbookError(`no traces found in ${options.paths.join(', ')}; no run was created`);
  run.writer.close();
  const reasons: string[] = [];
  if (rejected.length > 0)
    reasons.push(
      `${rejected.length} of ${read} imported traces could not be stored: ${rejected
        .slice(0, 3)
        .map((r) => `${r.id}: ${r.reason}`)
        .join('; ')}`,
    );
  const late = stream.late;
  if (late && late.spans > 0) {
    reasons.push(
      `${countNoun(late.spans, 'span')} of ${countNoun(late.traces, 'trace')} came after ${late.traces === 1 ? 'the trace had' : 'their traces had'} been written (the input is not ordered by trace; see the warnings)`,
    );
  }
  const finished = await finishRun(run.dir, {
    written: run.writer.written,
    ...(reasons.length > 0 ? { status: 'partial' as const, statusReason: reasons.join('; ') } : {}),
  });
  return { dir: run.dir, report: stream.report.finish(), rejected, finished };
}

async function openRun(options: ImportRunOptions): Promise<{ dir: string; writer: TraceWriter }> {
  const { dir } = await createRun({
    dataDir: options.dataDir,
    experiment: options.experiment,
    configPath: resolve(options.cwd, options.configPath),
    rootDir: options.rootDir,
    ...(options.name ? { name: options.name } : {}),
    source: sourceFromEnv(options.env),
    code: await readCodeInfo(options.rootDir),
  });
  return { dir, writer: new TraceWriter(dir, { sum: true, coalesce: true }) };
}
