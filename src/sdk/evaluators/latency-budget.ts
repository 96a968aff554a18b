import { UsageError } from '../../errors/index.ts';
import { checkOptions } from '../check-options.ts';
import type { Evaluator } from './evaluator.ts';
import { describeValue } from '../text.ts';

/** Passes when the trace took at most `ms` milliseconds (the traced function, not the evaluators). */
export function latencyBudget(ms: number, options: { name?: string } = {}): Evaluator {
  if (typeof ms !== 'number' || !Number.isFinite(ms) || ms < 0)
    throw new UsageError(`latencyBudget(): expected a number of milliseconds, got ${describeValue(ms)}`);
  checkOptions(options, ['name'], 'latencyBudget()');
  return {
    name: options.name ?? 'latency_budget',
    evaluator: 'latencyBudget',
    evaluate({ trace }) {
      const pass = trace.durationMs <= ms;
      return { value: pass, rationale: `${trace.durationMs.toFixed(1)} ms ${pass ? '≤' : '>'} ${ms} ms` };
    },
  };
}
