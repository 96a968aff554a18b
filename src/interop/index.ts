// Interop's public surface (`labbook/interop`): OpenTelemetry (OTLP) and MLflow traces in, as
// streams or collected, a whole import as `labbook import` makes it, and OTLP out.
export { streamOtlpFiles, importOtlp, type OtlpFileStream, type LateSpans } from './otlp/read-otlp-files.ts';
export { importOtlpRequests } from './otlp/import-otlp.ts';
export { streamMlflowFiles, importMlflow, importMlflowTraces } from './mlflow/import-mlflow.ts';
export type { ImportReport, ImportResult } from './import-report.ts';
export {
  importRun,
  IMPORT_FORMATS,
  type ImportFormat,
  type ImportRunOptions,
  type ImportRunResult,
  type RejectedTrace,
} from './import-run.ts';
export { tracesToOtlpRequest, traceToOtlpSpans, type ExportOptions, type OtlpRequest, type OtlpSpan } from './otlp/export.ts';
export { writeOtlpFile, type WriteOtlpOptions } from './otlp/write-otlp-file.ts';
