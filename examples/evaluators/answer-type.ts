import type { Evaluator } from '../../src/sdk/index.ts';
import { REFUSAL } from '../agent/answer.ts';

/**
 * A label for what kind of answer this was: `refusal` (the agent said it did not know),
 * `tool` (a tool ran without error) or `extractive` (quoted from the passages only).
 */
export const answerType: Evaluator = {
  name: 'answer_type',
  evaluate({ output, trace }) {
    if (typeof output === 'string' && output.includes(REFUSAL)) return 'refusal';
    const tools = trace.spans.filter((span) => span.type === 'TOOL' && span.status !== 'error').map((span) => span.name);
    return tools.length > 0 ? { value: 'tool', rationale: `used ${tools.join(', ')}` } : 'extractive';
  },
};
