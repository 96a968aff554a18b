import { LabbookSpanExporter, type LabbookSpanExporterOptions } from '../interop/otel-span-exporter.ts';
import type { Run } from './run.ts';

export type { LabbookSpanExporter };

/**
 * An OpenTelemetry `SpanExporter` that writes into `run`: each trace, once its root span is
 * exported, is converted (GenAI, OpenInference, MLflow and Vercel AI SDK conventions) and
 * appended to the run's traces.jsonl. Use it for agents already instrumented with
 * OpenTelemetry, registered with a `SimpleSpanProcessor` (or a batch processor flushed before
 * the run finishes):
 *
 *     provider.addSpanProcessor(new SimpleSpanProcessor(labbookSpanExporter(run)));
 *
 * `run.finish()` first hands over the traces the exporter still holds (their root never came).
 * Conversion warnings (late spans, orphans, unknown kinds) go to `onWarning`, by default
 * `process.emitWarning`. Set the `labbook.example_id` attribute on the root span to pair traces
 * across runs; without it the example id is a hash of the root's input.
 */
export function labbookSpanExporter(run: Run, options: Omit<LabbookSpanExporterOptions, 'onTrace'> = {}): LabbookSpanExporter {
  const exporter = new LabbookSpanExporter({
    ...options,
    onTrace: (trace) => {
      run.append(trace);
    },
    onWarning: options.onWarning ?? ((warning) => process.emitWarning(warning.message, { type: 'LabbookWarning' })),
  });
  run.beforeFinish(() => exporter.forceFlush());
  return exporter;
}
