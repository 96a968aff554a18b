import { exactMatch } from './exact-match.ts';
import { includes } from './includes.ts';
import { jsonSchema } from './json-schema.ts';
import { jsonValid } from './json-valid.ts';
import { latencyBudget } from './latency-budget.ts';
import { numericCloseness } from './numeric-closeness.ts';
import { regex } from './regex.ts';
import { tokenBudget } from './token-budget.ts';

/** The built-in evaluators; each returns an `Evaluator` to pass in `run.trace(…, { evaluators })`. */
export const evaluators = { exactMatch, includes, regex, jsonValid, jsonSchema, numericCloseness, latencyBudget, tokenBudget };

export type {
  EvalContext,
  EvaluatedTrace,
  Evaluator,
  EvaluatorFunction,
  EvaluatorLike,
  EvaluatorResult,
  EvaluatorValue,
} from './evaluator.ts';
export type { ExactMatchOptions } from './exact-match.ts';
export type { IncludesOptions } from './includes.ts';
export type { NumericClosenessOptions } from './numeric-closeness.ts';
