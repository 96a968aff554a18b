import type { Trace } from '../../../schemas/trace.ts';
import { FileFormatError } from '../../errors/index.ts';
import { ReportBuilder, type ImportResult } from '../import-report.ts';
import { listInputFiles } from '../input-files.ts';
import { isRecord, parseJsonLoose, toNumber } from '../json-value.ts';
import { readJsonRecords } from '../read-json-input.ts';
import { addSpan, assembleTrace, type TraceDraft } from '../trace-assembly.ts';
import { mapAssessments } from './assessments.ts';
import { spanFromMlflow, type Where } from './mlflow-span.ts';

/** Trace metadata keys that become trace fields, and are not repeated in `metadata`. */
const CONSUMED_METADATA = ['mlflow.traceInputs', 'mlflow.traceOutputs', 'labbook.example_id'];

/**
 * Reads MLflow trace JSON (`{ info, data: { spans } }`, as `Trace.to_dict()` and the REST API
 * write it) as a stream of traces: one trace per file, an array of traces, `{ traces: [...] }`,
 * JSON Lines of traces, or a directory of such files. Schema v2 and v3 are both read. Each
 * record holds whole traces, so each is yielded as soon as its record is read: JSON Lines
 * input is held one line at a time.
 */
export function streamMlflowFiles(pathOrPaths: string | readonly string[]): { traces: AsyncGenerator<Trace>; report: ReportBuilder } {
  const report = new ReportBuilder();
  async function* traces(): AsyncGenerator<Trace> {
    for (const file of await listInputFiles(pathOrPaths)) {
      report.mapped.files++;
      for await (const record of readJsonRecords(file)) {
        const where: Where = record.line !== undefined ? { file, line: record.line } : { file };
        for (const value of traceValues(record.value, where)) yield traceFromMlflow(value, where, report);
      }
    }
  }
  return { traces: traces(), report };
}

/** Reads MLflow trace files into memory, every trace at once; see streamMlflowFiles. */
export async function importMlflow(pathOrPaths: string | readonly string[]): Promise<ImportResult> {
  const stream = streamMlflowFiles(pathOrPaths);
  const traces: Trace[] = [];
  for await (const trace of stream.traces) traces.push(trace);
  return { traces, report: stream.report.finish() };
}

/** Imports MLflow traces already in memory; `file` names them in warnings. */
export function importMlflowTraces(values: readonly unknown[], file = '<memory>'): ImportResult {
  const report = new ReportBuilder();
  const traces = values.flatMap((value) => traceValues(value, { file }).map((trace) => traceFromMlflow(trace, { file }, report)));
  return { traces, report: report.finish() };
}

/** The trace objects in a parsed document, or a FileFormatError saying what was found instead. */
function traceValues(value: unknown, where: Where): Array<Record<string, unknown>> {
  const list = Array.isArray(value) ? value : isRecord(value) && Array.isArray(value.traces) ? value.traces : [value];
  return list.map((item, index) => {
    if (isRecord(item) && isRecord(item.info)) return item;
    // The REST API wraps one trace as { trace: { trace_info, data } }.
    if (isRecord(item) && isRecord(item.trace) && isRecord(item.trace.trace_info))
      return { info: item.trace.trace_info, data: item.trace.data ?? item.trace.trace_data };
    let found: string;
    if (isRecord(item)) {
      found =
        'resourceSpans' in item
          ? 'it looks like OTLP JSON: use --format otlp'
          : `found ${
              Object.keys(item)
                .slice(0, 5)
                .map((key) => JSON.stringify(key))
                .join(', ') || 'an empty object'
            }`;
    } else {
      found = `found ${item === null ? 'null' : typeof item}`;
    }
    const at = list.length > 1 ? ` (item ${index + 1})` : '';
    throw new FileFormatError(
      where.line !== undefined ? { file: where.file, line: where.line } : { file: where.file },
      `not an MLflow trace${at}: expected an object with "info" and "data" (${found})`,
    );
  });
}

function traceFromMlflow(value: Record<string, unknown>, where: Where, report: ReportBuilder): Trace {
  const info = value.info as Record<string, unknown>;
  const data = isRecord(value.data) ? value.data : {};
  const metadata = stringRecord(info.trace_metadata ?? info.request_metadata);
  const tags = stringRecord(info.tags);
  const id = firstString(info.trace_id, info.request_id, info.client_request_id) ?? `mlflow-trace-${report.mapped.traces + 1}`;

  const spansRaw = Array.isArray(data.spans) ? data.spans : [];
  if (!Array.isArray(data.spans))
    report.warn('no-spans', { ...where, message: `trace ${id} has no data.spans; imported without spans` }, 'trace without spans');
  const draft: TraceDraft = {
    id,
    spans: [],
    sources: [],
    scores: [],
    file: where.file,
    ...(where.line !== undefined ? { line: where.line } : {}),
  };
  spansRaw.filter(isRecord).forEach((raw, index) => addSpan(draft, spanFromMlflow(raw, id, index, where, report), where));
  const spans = draft.spans;

  const assessments = mapAssessments(info.assessments, id, where, report);
  const known: NonNullable<TraceDraft['known']> = {};
  const exampleId = firstString(metadata['labbook.example_id'], tags['labbook.example_id']);
  if (exampleId) known.exampleId = exampleId;
  if (assessments.expected !== undefined) known.expected = assessments.expected;

  // The root span's inputs are the trace's; the trace-level copies are fallbacks (and may be truncated).
  const rootHasInputs = spans.some((span) => span.parentId === null && span.inputs !== undefined);
  if (!rootHasInputs) {
    const input = fallback(metadata['mlflow.traceInputs'], data.request, info.request_preview);
    if (input !== undefined) known.input = input;
  }
  const rootHasOutputs = spans.some((span) => span.parentId === null && span.outputs !== undefined);
  if (!rootHasOutputs) {
    const output = fallback(metadata['mlflow.traceOutputs'], data.response, info.response_preview);
    if (output !== undefined) known.output = output;
  }

  const state = firstString(info.state, info.status);
  if (state === 'ERROR' || state === 'TRACE_STATUS_ERROR') known.status = 'error';
  else if (state === 'OK') known.status = 'ok';
  else if (state === 'IN_PROGRESS')
    report.warn(
      'in-progress',
      { ...where, message: `trace ${id} was still in progress when exported; its spans may be incomplete` },
      'in-progress trace',
    );

  const start = requestTime(info.request_time ?? info.timestamp_ms);
  const duration = durationMs(info.execution_duration ?? info.execution_duration_ms ?? info.execution_time_ms);
  if (start !== undefined) {
    known.start = start;
    if (duration !== undefined) known.end = start + duration;
  }

  const keptMetadata = Object.fromEntries(Object.entries(metadata).filter(([key]) => !CONSUMED_METADATA.includes(key)));
  const keptTags = Object.fromEntries(Object.entries(tags).filter(([key]) => key !== 'labbook.example_id'));
  const mlflow: Record<string, unknown> = {};
  if (isRecord(info.trace_location)) mlflow.location = info.trace_location;
  if (typeof info.experiment_id === 'string') mlflow.experimentId = info.experiment_id;
  if (Object.keys(keptMetadata).length > 0) mlflow.metadata = keptMetadata;
  if (Object.keys(keptTags).length > 0) mlflow.tags = keptTags;

  draft.scores = assessments.scores;
  draft.known = known;
  if (Object.keys(mlflow).length > 0) draft.metadata = { mlflow };
  return assembleTrace(draft, report);
}

/** The first trace-level input or output that is present, JSON-decoded when it is JSON. */
function fallback(...values: unknown[]): unknown {
  for (const value of values) if (value !== undefined && value !== null && value !== '') return parseJsonLoose(value);
  return undefined;
}

/** `request_time` is an RFC 3339 string (v3, protobuf JSON) or epoch milliseconds (v2 `timestamp_ms`). */
function requestTime(value: unknown): number | undefined {
  const number = toNumber(value);
  if (number !== undefined) return number;
  if (typeof value === 'string') {
    const parsed = Date.parse(value);
    return Number.isNaN(parsed) ? undefined : parsed;
  }
  return undefined;
}

/** `execution_duration` is a protobuf Duration (`"1.5s"`); the `_ms` fields are milliseconds. */
function durationMs(value: unknown): number | undefined {
  if (typeof value === 'string' && value.endsWith('s')) {
    const seconds = Number(value.slice(0, -1));
    return Number.isFinite(seconds) ? seconds * 1000 : undefined;
  }
  return toNumber(value);
}

function stringRecord(value: unknown): Record<string, unknown> {
  return isRecord(value) ? value : {};
}

function firstString(...values: unknown[]): string | undefined {
  for (const value of values) if (typeof value === 'string' && value !== '') return value;
  return undefined;
}
