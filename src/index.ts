/**
 * The `labbook` package's public API. Import from here, not from deep paths: what is not
 * exported here may change without notice.
 */

// The file formats: zod schemas and their types (run.json, traces, spans, scores, metrics…).
export * from '../schemas/index.ts';

// Errors a caller may want to tell apart.
export {
  LabbookError,
  FileFormatError,
  FinishInsideTraceError,
  InvalidNameError,
  NestedTraceError,
  NotFoundError,
  UsageError,
} from './errors/index.ts';

// Programmatic analysis: open a data folder, stream traces and spans, ready-made breakdowns.
export * from './analysis/index.ts';

// CSV: the cells and rows of Labbook's exports (pure; also used by the site in the browser).
export { toCsv, toCell, FORMULA_START, type CsvCell, type CsvOptions } from './export/csv.ts';
export { runsCsvRows, type RunCsvInput } from './export/runs-csv.ts';
export { traceCsvRows, type TraceAnnotations } from './export/traces-csv.ts';
export { comparisonCsvRows, type ComparisonCsvInput } from './export/comparison-csv.ts';
