// The compare engine's public surface: pure comparison functions, their result types, and the
// one loader that reads their input from a data folder.
export { compareRuns, prepareComparison, DEFAULT_RESAMPLES, DEFAULT_SEED, MAX_RUNS, MIN_RUNS } from './compare-runs.ts';
export type { CompareInput, CompareOptions, PreparedComparison, RunToCompare } from './compare-runs.ts';
export { comparePerTrace } from './per-trace.ts';
export type { PerTraceCell, PerTraceOptions, PerTraceRow } from './per-trace.ts';
export type * from './comparison.ts';
export { diffConfigs, formatConfigPath, type ConfigChange } from './config-diff.ts';
export { wordDiff, type WordDiffOp } from './word-diff.ts';
export { comparisonView, type ComparisonRow, type ComparisonView } from './comparison-view.ts';
export { renderComparisonMarkdown, renderComparisonText } from './render-comparison.ts';
export { loadCompareInput, type LoadCompareOptions } from './load-compare-input.ts';
