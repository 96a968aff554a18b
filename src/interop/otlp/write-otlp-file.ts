import { writeText, type TextTarget } from '../../store/text-target.ts';
import type { Trace } from '../../../schemas/trace.ts';
import { traceToOtlpSpans, wrapSpans, type ExportOptions } from './export.ts';

export interface WriteOtlpOptions extends ExportOptions {
  /**
   * `json`: one `ExportTraceServiceRequest` (what an OTLP/HTTP endpoint takes); `jsonl`: one
   * request per trace per line (what the Collector's file exporter writes, and what suits
   * runs too large for one JSON document).
   */
  format: 'json' | 'jsonl';
}

/**
 * Streams traces as OTLP JSON without holding the run in memory, to a file (written beside its
 * target and renamed into place at the end, so a failure never leaves a partial file that looks
 * complete) or to a sink such as stdout. Resolves to the number of traces and spans written.
 */
export async function writeOtlpFile(
  traces: AsyncIterable<Trace> | Iterable<Trace>,
  to: TextTarget,
  options: WriteOtlpOptions,
): Promise<{ traces: number; spans: number }> {
  const counts = { traces: 0, spans: 0 };
  await writeText(to, otlpText(traces, options, counts));
  return counts;
}

/** The text of the OTLP JSON (one request) or JSON Lines (a request per trace), in pieces. */
async function* otlpText(
  traces: AsyncIterable<Trace> | Iterable<Trace>,
  options: WriteOtlpOptions,
  counts: { traces: number; spans: number },
): AsyncGenerator<string> {
  if (options.format === 'jsonl') {
    for await (const trace of traces) {
      const spans = traceToOtlpSpans(trace);
      yield `${JSON.stringify(wrapSpans(spans, options))}\n`;
      counts.traces++;
      counts.spans += spans.length;
    }
    return;
  }
  // The request's envelope around a streamed span list, one span per line.
  const envelope = JSON.stringify(wrapSpans([], options));
  const marker = '"spans":[]';
  const at = envelope.indexOf(marker) + marker.length - 1;
  yield `${envelope.slice(0, at)}\n`;
  for await (const trace of traces) {
    // A trace's spans go as one piece: fewer, larger writes.
    let text = '';
    for (const span of traceToOtlpSpans(trace)) {
      text += `${counts.spans > 0 ? ',\n' : ''}${JSON.stringify(span)}`;
      counts.spans++;
    }
    if (text) yield text;
    counts.traces++;
  }
  yield `\n${envelope.slice(at)}\n`;
}
