import { resolve } from 'node:path';
import { traceSchema, type Trace } from '../../schemas/trace.ts';
import { FileFormatError, LabbookError } from '../errors/index.ts';
import { checkTraceBounds } from '../store/check-trace-bounds.ts';
import { readCodeInfo } from '../provenance/git-info.ts';
import { sourceFromEnv } from '../provenance/source-from-env.ts';
import { finishRun, type FinishRunResult } from '../store/finish-run.ts';
import { DEFAULT_MAX_LINE_BYTES } from '../store/jsonl-reader.ts';
import { createRun, TraceWriter } from '../store/run-writer.ts';
import { describeZodIssue } from '../json/zod-issue.ts';
import { fitsTraceSchema } from './fits-trace-schema.ts';
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
  const stream = options.format === 'otlp' ? streamOtlpFiles(paths, options.graceSpans !== undefined ? { graceSpans: options.graceSpans } : {}) : { ...streamMlflowFiles(paths), late: undefined };
  const rejected: RejectedTrace[] = [];
  const maxBytes = options.maxTraceBytes ?? DEFAULT_MAX_LINE_BYTES;
  let run: { dir: string; writer: TraceWriter } | undefined;
  let read = 0;
  let written = 0;
  try {
    for await (const trace of stream.traces) {
      run ??= await openRun(options);
      read++;
      const line = serialise(trace, maxBytes);
      if ('reason' in line) rejected.push({ id: trace.id, reason: line.reason });
      else {
        run.writer.appendLine(line.json);
        written++;
      }
    }
  } catch (error) {
    if (run) {
      run.writer.close();
      await finishRun(run.dir, { status: 'failed', statusReason: `import stopped after ${written} traces: ${errorMessage(error)}` });
      options.log?.(`the run ${run.dir} keeps the ${written} traces written before the error (sealed as failed); traces still being read were left out`);
    }
    throw error;
  }
  if (!run) throw new LabbookError(`no traces found in ${options.paths.join(', ')}; no run was created`);
  run.writer.close();
  const reasons: string[] = [];
  if (rejected.length > 0) reasons.push(`${rejected.length} of ${read} imported traces could not be stored: ${rejected.slice(0, 3).map((r) => `${r.id}: ${r.reason}`).join('; ')}`);
  const late = stream.late;
  if (late && late.spans > 0) {
    reasons.push(`${late.spans} spans of ${late.traces} traces came after their trace had been written (the input is not ordered by trace; see the warnings)`);
  }
  const finished = await finishRun(run.dir, reasons.length > 0 ? { status: 'partial', statusReason: reasons.join('; ') } : {});
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
  return { dir, writer: new TraceWriter(dir) };
}

/**
 * The trace's line for traces.jsonl, or why it cannot be one. An imported trace is built in
 * the schema's shape, so when `fitsTraceSchema` is sure of it, its own JSON is the line (the
 * same bytes the schema's parse would give) and finishRun's pass over the file is the one
 * validation; otherwise the schema decides and names what is wrong.
 */
function serialise(trace: Trace, maxBytes: number): { json: string } | { reason: string } {
  try {
    checkTraceBounds(trace, { file: 'imported trace' });
  } catch (error) {
    if (!(error instanceof FileFormatError)) throw error;
    return { reason: `${error.location.field ?? 'trace'}: ${error.detail}` };
  }
  let value: Trace = trace;
  if (!fitsTraceSchema(trace)) {
    const parsed = traceSchema.safeParse(trace);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      return { reason: `${issue.path.join('.') || 'trace'}: ${describeZodIssue(issue, trace)}` };
    }
    value = parsed.data;
  }
  let json: string;
  try {
    json = JSON.stringify(value);
  } catch (error) {
    // V8 cannot build a string past ~512 MB.
    return { reason: `${trace.spans.length} spans are too many to write as one line (${errorMessage(error)})` };
  }
  // UTF-8 takes at most 3 bytes per UTF-16 unit: most lines need no count.
  const bytes = json.length * 3 <= maxBytes ? json.length : Buffer.byteLength(json);
  if (bytes > maxBytes) {
    return { reason: `${trace.spans.length} spans make a ${Math.round(bytes / 1e6)} MB line, over the ${Math.round(maxBytes / 1e6)} MB a run's traces.jsonl allows for one trace` };
  }
  return { json };
}
