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
import type { ImportReport, ImportResult } from './import-report.ts';
import { importMlflow } from './mlflow/import-mlflow.ts';
import { importOtlp } from './otlp/import-otlp.ts';
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
 * `labbook import`: reads traces written elsewhere (OTLP JSON or MLflow trace JSON) and makes
 * a run of them, creating the experiment if it does not exist. The input is read whole before
 * the run is created, so a file that is not what `format` says leaves nothing behind. A trace
 * the run cannot hold (invalid after mapping, or one line longer than a reader accepts) is not
 * written; the run is then `partial` and says how many and why.
 */
export async function importRun(options: ImportRunOptions): Promise<ImportRunResult> {
  const paths = options.paths.map((path) => resolve(options.cwd, path));
  const { traces, report }: ImportResult = options.format === 'otlp' ? await importOtlp(paths) : await importMlflow(paths);
  if (traces.length === 0) throw new LabbookError(`no traces found in ${options.paths.join(', ')}; no run was created`);

  const { dir } = await createRun({
    dataDir: options.dataDir,
    experiment: options.experiment,
    configPath: resolve(options.cwd, options.configPath),
    rootDir: options.rootDir,
    ...(options.name ? { name: options.name } : {}),
    source: sourceFromEnv(options.env),
    code: await readCodeInfo(options.rootDir),
  });
  const writer = new TraceWriter(dir);
  const rejected: RejectedTrace[] = [];
  const maxBytes = options.maxTraceBytes ?? DEFAULT_MAX_LINE_BYTES;
  try {
    // Each trace is let go once written, so finishRun reads the file back with a small heap.
    const pending: Array<Trace | undefined> = traces;
    for (let i = 0; i < pending.length; i++) {
      const trace = pending[i]!;
      pending[i] = undefined;
      const line = serialise(trace, maxBytes);
      if ('reason' in line) rejected.push({ id: trace.id, reason: line.reason });
      else writer.appendLine(line.json);
    }
  } catch (error) {
    writer.close();
    await finishRun(dir, { status: 'failed', statusReason: `import stopped: ${errorMessage(error)}` });
    throw error;
  }
  writer.close();
  const statusReason =
    rejected.length > 0 ? `${rejected.length} of ${traces.length} imported traces could not be stored: ${rejected.slice(0, 3).map((r) => `${r.id}: ${r.reason}`).join('; ')}` : undefined;
  const finished = await finishRun(dir, rejected.length > 0 ? { status: 'partial', statusReason } : {});
  return { dir, report, rejected, finished };
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
