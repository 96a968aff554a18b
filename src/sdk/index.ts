/**
 * `labbook/sdk`: what an evaluation script imports to record traces into a Labbook run.
 * See docs/sdk.md.
 */
export { startRun, type StartRunOptions } from './start-run.ts';
export { FinishInsideTraceError, NestedTraceError, UsageError } from '../errors/index.ts';
export type { Run, FinishOptions, MapOptions } from './run.ts';
export { span, currentSpan } from './span-context.ts';
export type { SpanHandle, UsageInput } from './span-handle.ts';
export type { TraceHandle } from './trace-handle.ts';
export type { TraceOptions, TracedFunction } from './record-trace.ts';
export type { Example } from './example.ts';
export { evaluators } from './evaluators/index.ts';
export type * from './evaluators/index.ts';
export { exampleIdFromInput } from '../json/example-id.ts';
export { canonicalJson } from '../json/canonical-json.ts';
export { parseShard, inShard, fnv1a32, type Shard } from './shard.ts';
export type { FinishRunResult } from '../store/finish-run.ts';
export type { Trace } from '../../schemas/trace.ts';
export type { Span, SpanType } from '../../schemas/span.ts';
export type { Score } from '../../schemas/score.ts';
export { labbookSpanExporter } from './otel.ts';
