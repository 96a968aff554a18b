import type { Score, ScoreSource } from '../../../schemas/score.ts';
import type { Span } from '../../../schemas/span.ts';
import type { TraceStatus } from '../../../schemas/trace.ts';
import { UsageError } from '../../errors/index.ts';
import { clip, describeError } from '../text.ts';

/** What an evaluator sees of the trace it scores (the trace as it will be written, minus scores). */
export interface EvaluatedTrace {
  id: string;
  exampleId: string;
  status: TraceStatus;
  error?: string;
  start: number;
  end: number;
  durationMs: number;
  spans: readonly Span[];
  tags: readonly string[];
  metadata?: Record<string, unknown>;
}

export interface EvalContext<Input = unknown, Output = unknown, Expected = unknown> {
  input: Input;
  /** Undefined when the traced function threw: evaluators still run, so failures count as failures. */
  output: Output;
  expected: Expected;
  trace: EvaluatedTrace;
}

export type EvaluatorValue = number | boolean | string;

/** What an evaluator returns; a bare value or one with the reason for it. */
export type EvaluatorResult = EvaluatorValue | { value: EvaluatorValue; rationale?: string };

export interface Evaluator<Input = unknown, Output = unknown, Expected = unknown> {
  /** The score's name (what metrics.json and the site call it). Unique among a trace's evaluators. */
  name: string;
  evaluate(context: EvalContext<Input, Output, Expected>): EvaluatorResult | Promise<EvaluatorResult>;
  /** Who judged: `code` (default), `llm_judge` or `human`. */
  source?: ScoreSource;
  /** What produced the score when the name alone does not say (`exactMatch` for a built-in renamed `correct`). */
  evaluator?: string;
}

/** A named function is an evaluator too: its name becomes the score's name. */
export type EvaluatorFunction<Input = unknown, Output = unknown, Expected = unknown> = (
  context: EvalContext<Input, Output, Expected>,
) => EvaluatorResult | Promise<EvaluatorResult>;

// Evaluators are contravariant in what they read: `any` lets a list mix evaluators typed for different outputs.
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- `unknown` would refuse every typed evaluator here
export type EvaluatorLike = Evaluator<any, any, any> | EvaluatorFunction<any, any, any>;

/**
 * Turns the evaluators given to `run.trace` into one shape, refusing what cannot work (a
 * function without a name, two evaluators with one name) before the trace starts.
 */
export function normalizeEvaluators(list: readonly EvaluatorLike[] | undefined): Evaluator[] {
  if (list === undefined) return [];
  if (!Array.isArray(list)) throw new UsageError('evaluators must be an array');
  const seen = new Set<string>();
  return list.map((item, index) => {
    let evaluator: Evaluator;
    if (typeof item === 'function') {
      if (!item.name)
        throw new UsageError(
          `evaluators[${index}] is an anonymous function: give it a name (const correct = (ctx) => …) or use { name, evaluate }`,
        );
      evaluator = { name: item.name, evaluate: item };
    } else if (
      item &&
      typeof item === 'object' &&
      typeof item.evaluate === 'function' &&
      typeof item.name === 'string' &&
      item.name !== ''
    ) {
      evaluator = item;
    } else {
      throw new UsageError(`evaluators[${index}] is not an evaluator: expected a named function or { name, evaluate }`);
    }
    if (evaluator.name.length > 200) throw new UsageError(`evaluator name "${evaluator.name.slice(0, 40)}…" is longer than 200 characters`);
    if (seen.has(evaluator.name))
      throw new UsageError(`two evaluators are named "${evaluator.name}": score names must be unique within a trace`);
    seen.add(evaluator.name);
    return evaluator;
  });
}

/** Runs every evaluator, concurrently; one that throws or returns nonsense gives an error score. */
export function runEvaluators(evaluators: readonly Evaluator[], context: EvalContext): Promise<Score[]> {
  return Promise.all(evaluators.map((evaluator) => runEvaluator(evaluator, context)));
}

async function runEvaluator(evaluator: Evaluator, context: EvalContext): Promise<Score> {
  const base = { name: evaluator.name, source: evaluator.source ?? 'code', evaluator: evaluator.evaluator ?? evaluator.name } as const;
  try {
    return { ...base, ...scoreFields(await evaluator.evaluate(context)) };
  } catch (error) {
    return { ...base, value: null, error: clip(describeError(error), 100_000) };
  }
}

/**
 * The value, rationale and error of a score from whatever was returned. Non-finite numbers,
 * null, undefined and other objects become `value: null` with an error saying what came back.
 */
export function scoreFields(returned: unknown): Pick<Score, 'value' | 'rationale' | 'error'> {
  // `{ value: { value: x, rationale } }` unwraps to x; the outermost rationale wins. A loop, not
  // recursion: an evaluator's result may be nested arbitrarily deep.
  let result = returned;
  let rationale: unknown;
  const unwrapped = new Set<object>();
  while (result !== null && typeof result === 'object' && 'value' in result) {
    if (unwrapped.has(result)) return { value: null, error: 'returned a { value } that contains itself' };
    unwrapped.add(result);
    const wrapper = result as { value: unknown; rationale?: unknown };
    if ((rationale === undefined || rationale === null) && wrapper.rationale !== undefined) rationale = wrapper.rationale;
    result = wrapper.value;
  }
  const fields = valueFields(result);
  if (rationale !== undefined && rationale !== null) fields.rationale = clip(String(rationale), 100_000);
  return fields;
}

function valueFields(result: unknown): Pick<Score, 'value' | 'rationale' | 'error'> {
  if (typeof result === 'boolean') return { value: result };
  if (typeof result === 'string') return { value: clip(result, 10_000) };
  if (typeof result === 'number') {
    return Number.isFinite(result) ? { value: result } : { value: null, error: `returned ${result}, which is not a finite number` };
  }
  const got =
    result === null
      ? 'null'
      : result === undefined
        ? 'undefined'
        : Array.isArray(result)
          ? 'an array'
          : typeof result === 'object'
            ? 'an object'
            : `a ${typeof result}`;
  return { value: null, error: `returned ${got}; expected a number, boolean, string or { value, rationale }` };
}
