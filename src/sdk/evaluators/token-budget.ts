import { UsageError } from '../../errors/index.ts';
import { checkOptions } from '../check-options.ts';
import type { Evaluator } from './evaluator.ts';
import { describeValue } from '../text.ts';

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
      let used = 0;
      let counted = 0;
      for (const span of trace.spans) {
        if (!span.usage) continue;
        counted++;
        used += span.usage.total ?? span.usage.input + span.usage.output;
      }
      const pass = used <= limit;
      const note = counted === 0 ? ' (no span recorded token usage)' : '';
      return { value: pass, rationale: `${used} tokens ${pass ? '≤' : '>'} ${limit}${note}` };
    },
  };
}
