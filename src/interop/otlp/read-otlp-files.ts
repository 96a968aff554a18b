import type { Trace } from '../../../schemas/trace.ts';
import { FileFormatError } from '../../errors/index.ts';
import { ReportBuilder, type ImportResult } from '../import-report.ts';
import { listInputFiles } from '../input-files.ts';
import { LiveTraces } from './live-traces.ts';
import { readJsonRecords } from '../read-json-input.ts';
import { streamOtlpJsonDocument } from './stream-otlp-json.ts';
import { looksLikeProtobuf, readProtobufRequests } from './read-protobuf-file.ts';
import { groupDigits } from '../../text/group-digits.ts';

/**
 * How long a trace of a file waits, counted in spans read, once its root is in and before it
 * is written: a trace is complete when its root has been read and none of the next this many
 * spans belongs to it. Exporters write a span when it ends and a root ends last, so in the
 * Collector's file (spans in the order they ended) or a file grouped by trace (Labbook's
 * export writes the root first) a trace's spans lie close together; the window absorbs a child
 * that ended a little after its root. Memory holds the traces in flight plus this window.
 */
const FILE_GRACE_SPANS = 5_000;

/** Spans a file import refused because their trace had already been written. */
export interface LateSpans {
  spans: number;
  traces: number;
}

export interface OtlpFileStream {
  /** The traces, each as soon as it is complete; a FileFormatError stops the stream. */
  traces: AsyncGenerator<Trace>;
  /** Filled as the stream is read. */
  report: ReportBuilder;
  late: LateSpans;
}

/**
 * Reads OTLP files as a stream of traces: one file, several, or a folder of them. Each file
 * is one `ExportTraceServiceRequest` or JSON Lines of them (the Collector's file exporter), or
 * OTLP protobuf (one message, or length-prefixed messages), told apart by content. Spans are
 * grouped by trace with the live receiver's assembler (LiveTraces), on a clock of spans read
 * rather than milliseconds, and the traces still in flight when the input ends are written
 * then. Memory is bounded by the traces in flight, not by the file: JSON Lines is read line by
 * line, protobuf a thousand spans at a time (even a single message holding the file, whose
 * bytes are read whole), and a single JSON document over 16 MiB a thousand spans at a time too
 * (stream-otlp-json.ts; a smaller one is parsed whole, which is faster).
 */
export function streamOtlpFiles(
  pathOrPaths: string | readonly string[],
  options: { graceSpans?: number; /** Tests: documents over this size are streamed (ReadJsonOptions). */ wholeDocumentBytes?: number } = {},
): OtlpFileStream {
  const report = new ReportBuilder();
  const late: LateSpans = { spans: 0, traces: 0 };
  const graceSpans = options.graceSpans ?? FILE_GRACE_SPANS;
  async function* traces(): AsyncGenerator<Trace> {
    const ready: Trace[] = [];
    let file = String(pathOrPaths);
    const live: LiveTraces = new LiveTraces({
      graceMs: graceSpans,
      now: () => live.counts.spans,
      graceText: `its root had been read, then ${groupDigits(graceSpans)} spans of other traces`,
      report,
      onTrace: (trace) => ready.push(trace),
      onLog: (message) => report.warn('late', { file, message }, 'late span'),
    });
    for (file of await listInputFiles(pathOrPaths)) {
      report.mapped.files++;
      let requests = 0;
      const records = (await looksLikeProtobuf(file))
        ? readProtobufRequests(file)
        : readJsonRecords(file, {
            streamDocument: (path) => streamOtlpJsonDocument(path),
            ...(options.wholeDocumentBytes !== undefined ? { wholeDocumentBytes: options.wholeDocumentBytes } : {}),
          });
      for await (const record of records) {
        const result = live.add(record.value, 'line' in record && record.line !== undefined ? { file, line: record.line } : { file }, {
          consume: true,
        });
        if (result.rejected > 0) {
          late.spans += result.rejected;
          late.traces += result.lateTraces;
        }
        requests++;
        live.sweep();
        if (ready.length > 0) yield* ready.splice(0);
      }
      if (requests === 0) throw new FileFormatError({ file }, 'no OTLP request in the file');
    }
    live.flush('at the end of the input');
    if (ready.length > 0) yield* ready.splice(0);
    if (live.counts.spans === 0) report.warn('empty', { file: String(pathOrPaths), message: 'no spans found' });
  }
  return { traces: traces(), report, late };
}

/** Reads OTLP files into memory, every trace at once (tests, and small inputs); see streamOtlpFiles. */
export async function importOtlp(pathOrPaths: string | readonly string[]): Promise<ImportResult> {
  const stream = streamOtlpFiles(pathOrPaths);
  const traces: Trace[] = [];
  for await (const trace of stream.traces) traces.push(trace);
  return { traces, report: stream.report.finish() };
}
