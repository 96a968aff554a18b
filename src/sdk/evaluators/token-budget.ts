import { UsageError } from '../../errors/index.ts';
import { checkOptions } from '../check-options.ts';
import type { Evaluator } from './evaluator.ts';
import { describeValue } from '../text.ts';
import { traceUsage } from '../../aggregate/span-measures.ts';

/**
 * Passes when the trace's spans used at most `limit` tokens in total (each span's `usage.total`,
 * else input + output). Record usage on the span that made the call, not also on its parents,
 * or it is counted twice.
 */
export function tokenBudget(limit: number, options: { name?: string } = {}): Evaluator {
  if (typeof limit !== 'number' || !Number.isFinite(limit) || limit < 0)
    throw new UsageError(`tokenBudget(): expected a number of tokens, got ${describeValue(limit)}`);
  checkOptions(options, ['name'], 'tokenBudget()');
  return {
    name: options.name ?? 'token_budget',
    evaluator: 'tokenBudget',
    evaluate({ trace }) {
      const { totalTokens } = traceUsage(trace.spans);
      const used = totalTokens ?? 0;
      const pass = used <= limit;
      const note = totalTokens === null ? ' (no span recorded token usage)' : '';
      return { value: pass, rationale: `${used} tokens ${pass ? '≤' : '>'} ${limit}${note}` };
    },
  };
}
