import { createWriteStream } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { once } from 'node:events';
import { randomBytes } from 'node:crypto';
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
 * Streams traces into an OTLP JSON file without holding the run in memory. The file is
 * written beside its target and renamed into place at the end, so a failure never leaves a
 * partial file that looks complete. Resolves to the number of traces and spans written.
 */
export async function writeOtlpFile(
  traces: AsyncIterable<Trace> | Iterable<Trace>,
  file: string,
  options: WriteOtlpOptions,
): Promise<{ traces: number; spans: number }> {
  await mkdir(dirname(file), { recursive: true });
  const temp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  const out = createWriteStream(temp);
  // An error (disk full, no permission) is kept and thrown by the next write, never left unhandled.
  let failure: Error | undefined;
  out.on('error', (error) => {
    failure ??= error;
  });
  const write = async (text: string) => {
    if (failure) throw failure;
    if (!out.write(text)) await Promise.race([once(out, 'drain'), once(out, 'close')]);
    if (failure) throw failure;
  };
  let traceCount = 0;
  let spanCount = 0;
  try {
    if (options.format === 'jsonl') {
      for await (const trace of traces) {
        const spans = traceToOtlpSpans(trace);
        await write(`${JSON.stringify(wrapSpans(spans, options))}\n`);
        traceCount++;
        spanCount += spans.length;
      }
    } else {
      // The request's envelope around a streamed span list, one span per line.
      const envelope = JSON.stringify(wrapSpans([], options));
      const marker = '"spans":[]';
      const at = envelope.indexOf(marker) + marker.length - 1;
      await write(`${envelope.slice(0, at)}\n`);
      for await (const trace of traces) {
        for (const span of traceToOtlpSpans(trace)) {
          await write(`${spanCount > 0 ? ',\n' : ''}${JSON.stringify(span)}`);
          spanCount++;
        }
        traceCount++;
      }
      await write(`\n${envelope.slice(at)}\n`);
    }
    await new Promise<void>((resolve, reject) => {
      out.end(() => (failure ? reject(failure) : resolve()));
      out.once('error', reject);
    });
    await rename(temp, file);
  } catch (error) {
    out.destroy();
    await rm(temp, { force: true });
    throw error;
  }
  return { traces: traceCount, spans: spanCount };
}
