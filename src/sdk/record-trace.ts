import { randomBytes } from 'node:crypto';
import type { Score } from '../../schemas/score.ts';
import type { Span } from '../../schemas/span.ts';
import type { Trace, TraceInput } from '../../schemas/trace.ts';
import { FinishInsideTraceError, NestedTraceError, UsageError } from '../errors/index.ts';
import { HIDDEN_CHARACTERS_MESSAGE, isVisibleId } from '../../schemas/hidden-characters.ts';
import { clip, describeError, describeValue } from './text.ts';
import { nowMs } from './clock.ts';
import { normalizeEvaluators, runEvaluators, type EvaluatedTrace, type EvaluatorLike } from './evaluators/evaluator.ts';
import { checkTags, normalizeExample } from './example.ts';
import { currentTrace, runInTrace, runOutsideTraces, TraceState } from './span-context.ts';
import { TraceHandle } from './trace-handle.ts';

export interface TraceOptions {
  evaluators?: readonly EvaluatorLike[];
  /** The trace's id; default a random `tr-<16 hex>`. Must be unique within the run. */
  id?: string;
  tags?: readonly string[];
  metadata?: Record<string, unknown>;
  /** Which evaluation of this example it is (1-based), when a run evaluates each example several times. */
  trial?: number;
}

/** Who records the trace: the run (to refuse a trace nested in one of its own) and which method opened it. */
interface TraceOwner {
  run: object;
  startedBy: 'map' | 'trace';
}

export type TracedFunction<Input, Expected, Output> = (trace: TraceHandle<Input, Expected>) => Output | Promise<Output>;

/**
 * Runs one example through `fn` and hands the finished trace to `write`. An error thrown by
 * `fn` becomes the trace's status and message; evaluators run afterwards, on the output or on
 * nothing, and an evaluator that throws gives an error score. Only a misuse of the API (an
 * example without `input`, an evaluator without a name, a trace nested in another trace of
 * the same run) rejects, and it does so before `fn` runs; a nested trace's refusal also
 * passes through the outer `fn` unrecorded, so the outer call rejects too.
 */
export async function recordTrace<Input, Expected, Output>(
  example: unknown,
  fn: TracedFunction<Input, Expected, Output>,
  options: TraceOptions,
  write: (trace: TraceInput) => Trace,
  owner?: TraceOwner,
): Promise<Trace> {
  const outer = currentTrace();
  if (owner && outer?.owner === owner.run) throw new NestedTraceError(outer.exampleId, outer.startedBy);
  const row = normalizeExample(example);
  if (options.id !== undefined && (typeof options.id !== 'string' || options.id === '' || options.id.length > 200)) {
    throw new UsageError('options.id must be a string of 1 to 200 characters');
  }
  if (options.id !== undefined && !isVisibleId(options.id)) {
    throw new UsageError(
      `options.id ${JSON.stringify(options.id)} ${HIDDEN_CHARACTERS_MESSAGE} (TAB, CR, line breaks and the like): such an id could never be annotated`,
    );
  }
  if (options.trial !== undefined && !(Number.isInteger(options.trial) && options.trial >= 1 && options.trial <= 10_000)) {
    throw new UsageError(`options.trial must be a whole number from 1 to 10000, got ${describeValue(options.trial)}`);
  }
  if (
    options.metadata !== undefined &&
    (options.metadata === null || typeof options.metadata !== 'object' || Array.isArray(options.metadata))
  ) {
    throw new UsageError('options.metadata must be an object');
  }
  const evaluators = normalizeEvaluators(options.evaluators);
  const tags = options.tags === undefined ? row.tags : [...new Set([...row.tags, ...checkTags(options.tags, 'options.tags')])];
  const metadata = options.metadata === undefined ? row.metadata : { ...row.metadata, ...options.metadata };
  const state = new TraceState(owner?.run, row.exampleId, owner?.startedBy);
  const handle = new TraceHandle<Input, Expected>(state, {
    id: options.id ?? `tr-${randomBytes(8).toString('hex')}`,
    exampleId: row.exampleId,
    input: row.input as Input,
    expected: row.expected as Expected,
    tags,
    metadata,
  });

  let returned: unknown;
  let error: string | undefined;
  const start = nowMs();
  try {
    returned = await runInTrace(state, () => fn(handle));
  } catch (thrown) {
    // A trace nested in this one (or a finish() inside it) is a mistake in the script, not the
    // agent's failure on this example: recording it as the trace's error would let a wrong
    // script finish "completed".
    if (thrown instanceof NestedTraceError || thrown instanceof FinishInsideTraceError) throw thrown;
    error = clip(describeError(thrown), 100_000);
  }
  const end = nowMs();
  state.closeOpenSpans(end);

  const output = returned !== undefined ? returned : handle.output;
  const draft: EvaluatedTrace = {
    id: handle.id,
    exampleId: handle.exampleId,
    status: error === undefined ? 'ok' : 'error',
    ...(error === undefined ? {} : { error }),
    start,
    end,
    durationMs: end - start,
    spans: state.spans as Span[],
    tags: handle.tags,
    ...(handle.metadata === undefined ? {} : { metadata: handle.metadata }),
  };
  const evaluated: Score[] =
    evaluators.length === 0
      ? []
      : await runOutsideTraces(() => runEvaluators(evaluators, { input: row.input, output, expected: row.expected, trace: draft }));

  return write({
    id: draft.id,
    exampleId: draft.exampleId,
    ...(options.trial === undefined ? {} : { trial: options.trial }),
    input: row.input,
    output,
    expected: row.expected,
    status: draft.status,
    error: draft.error,
    start,
    end,
    durationMs: draft.durationMs,
    spans: state.spans as Span[],
    scores: [...handle.scores, ...evaluated],
    tags: handle.tags,
    metadata: handle.metadata,
  });
}
