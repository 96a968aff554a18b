import type { Evaluator } from '../../src/sdk/index.ts';
import type { Span } from '../../schemas/span.ts';
import { REFUSAL } from '../agent/answer.ts';
import { tokenize } from '../agent/tokenize.ts';

/**
 * How much of the answer is supported by what the agent saw: the share of the answer's terms
 * that occur in the retrieved passages or the tool outputs recorded in the trace's spans.
 * 1 means every term is grounded; template filler and invented words pull it down. A refusal
 * claims nothing and scores 1.
 */
export const grounded: Evaluator = {
  name: 'grounded',
  evaluate({ output, trace }) {
    const answer = typeof output === 'string' ? output.replace(REFUSAL, '') : '';
    const terms = tokenize(answer).filter((term) => term.length > 1);
    if (terms.length === 0) return { value: 1, rationale: 'the answer makes no claim' };
    const evidence = new Set(tokenize(evidenceText(trace.spans)));
    const missing = terms.filter((term) => !evidence.has(term));
    const value = Math.round((1 - missing.length / terms.length) * 1000) / 1000;
    const rationale =
      missing.length === 0
        ? `all ${terms.length} terms appear in the evidence`
        : `not in the evidence: ${[...new Set(missing)].slice(0, 12).join(', ')}`;
    return { value, rationale };
  },
};

/** The text of retriever and tool outputs, plus tool inputs (an expression, a product name). */
function evidenceText(spans: readonly Span[]): string {
  const parts: string[] = [];
  for (const span of spans) {
    if (span.type === 'RETRIEVER') parts.push(JSON.stringify(span.outputs ?? ''));
    if (span.type === 'TOOL') parts.push(JSON.stringify(span.inputs ?? ''), JSON.stringify(span.outputs ?? ''));
  }
  return parts.join(' ');
}
