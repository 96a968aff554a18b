import type { EvaluatorConfig } from '../../../schemas/experiment.ts';
import { BUILTIN_EVALUATORS, evaluatorConfigSchema } from '../../../schemas/experiment.ts';
import { UsageError } from '../../errors/index.ts';
import type { Evaluator } from './evaluator.ts';
import { exactMatch } from './exact-match.ts';
import { includes, type IncludesOptions } from './includes.ts';
import { jsonSchema } from './json-schema.ts';
import { jsonValid } from './json-valid.ts';
import { latencyBudget } from './latency-budget.ts';
import { numericCloseness, type NumericClosenessOptions } from './numeric-closeness.ts';
import { regex } from './regex.ts';
import { tokenBudget } from './token-budget.ts';

/**
 * A built-in evaluator from configuration (`evaluators:` in experiment.yaml, or `labbook run
 * --evaluator`), as evaluatorConfigSchema has checked it: only the options the built-in takes,
 * each of its kind, the required ones present. What the built-in itself refuses (a pattern that
 * is no regular expression, say) is a UsageError naming the source, `where`.
 */
export function evaluatorFromConfig(config: EvaluatorConfig, where: string): Evaluator {
  try {
    return builtin(config);
  } catch (error) {
    if (error instanceof UsageError) throw new UsageError(`${where}: ${error.message}`, { cause: error });
    throw error;
  }
}

function builtin(config: EvaluatorConfig): Evaluator {
  const options = config.with ?? {};
  const named = config.name ? { name: config.name } : {};
  switch (config.use) {
    case 'exactMatch':
      return exactMatch({ ...named, ...(typeof options.normalize === 'boolean' ? { normalize: options.normalize } : {}) });
    case 'includes':
      return includes({ ...(options as IncludesOptions), ...named });
    case 'regex':
      return regex(options.pattern as string, named);
    case 'jsonValid':
      return jsonValid(named);
    case 'jsonSchema':
      return jsonSchema(options.schema as Record<string, unknown> | boolean, named);
    case 'numericCloseness':
      return numericCloseness({ ...(options as unknown as NumericClosenessOptions), ...named });
    case 'latencyBudget':
      return latencyBudget(options.ms as number, named);
    case 'tokenBudget':
      return tokenBudget(options.limit as number, named);
  }
}

/**
 * `labbook run --evaluator [name=]builtin[:json-options]`: `exactMatch`,
 * `correct=exactMatch:{"normalize":true}`, `fast=latencyBudget:{"ms":2000}`.
 */
export function evaluatorConfigFromFlag(flag: string): EvaluatorConfig {
  const match = /^(?:([^=:]+)=)?([A-Za-z]+)(?::(.*))?$/s.exec(flag.trim());
  if (!match)
    throw new UsageError(
      `--evaluator "${flag}": write [name=]builtin[:json-options], e.g. correct=exactMatch or fast=latencyBudget:{"ms":2000}`,
    );
  const [, name, use, json] = match;
  if (!(BUILTIN_EVALUATORS as readonly string[]).includes(use!))
    throw new UsageError(`--evaluator "${flag}": no built-in evaluator "${use}" (${BUILTIN_EVALUATORS.join(', ')})`);
  let options: unknown;
  if (json !== undefined) {
    try {
      options = JSON.parse(json);
    } catch {
      throw new UsageError(`--evaluator "${flag}": the options after ":" are not JSON`);
    }
  }
  const parsed = evaluatorConfigSchema.safeParse({
    use,
    ...(name ? { name: name.trim() } : {}),
    ...(options !== undefined ? { with: options } : {}),
  });
  if (!parsed.success) throw new UsageError(`--evaluator "${flag}": ${parsed.error.issues[0]!.message}`);
  return parsed.data;
}
