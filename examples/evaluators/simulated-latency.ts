import type { Evaluator } from '../../src/sdk/index.ts';

/**
 * The latency a hosted model would have shown, as the agent simulated it from token counts
 * (the sum of its LLM spans' `simulated_latency_ms`). Deterministic, unlike wall time. Lower is better.
 */
export const simulatedLatency: Evaluator = {
  name: 'simulated_latency_ms',
  evaluate({ trace }) {
    let total = 0;
    for (const span of trace.spans) {
      const ms = span.type === 'LLM' ? span.attributes?.simulated_latency_ms : undefined;
      if (typeof ms === 'number') total += ms;
    }
    return total;
  },
};
