import { scoreSourceSchema, type Score, type ScoreSource } from '../../schemas/score.ts';
import { toNumber } from './json-value.ts';

/** The OpenTelemetry GenAI event that carries one evaluation of a span's operation. */
export const EVALUATION_EVENT = 'gen_ai.evaluation.result';

/**
 * A score as the attributes of a `gen_ai.evaluation.result` event. The GenAI conventions have a
 * numeric `score.value` and a string `score.label`; Labbook's booleans, nulls, sources and
 * evaluators travel in `labbook.score.*` so an import gives back exactly what was exported,
 * while other backends still read a number or a label.
 */
export function evaluationEventAttributes(score: Score): Record<string, unknown> {
  const attributes: Record<string, unknown> = { 'gen_ai.evaluation.name': score.name };
  const value = score.value;
  if (typeof value === 'number') {
    attributes['gen_ai.evaluation.score.value'] = value;
    if (score.label !== undefined) attributes['gen_ai.evaluation.score.label'] = score.label;
    attributes['labbook.score.type'] = 'number';
  } else if (typeof value === 'boolean') {
    attributes['gen_ai.evaluation.score.value'] = value ? 1 : 0;
    attributes['gen_ai.evaluation.score.label'] = value ? 'pass' : 'fail';
    attributes['labbook.score.type'] = 'boolean';
  } else if (typeof value === 'string') {
    attributes['gen_ai.evaluation.score.label'] = value;
    attributes['labbook.score.type'] = 'label';
  } else {
    attributes['labbook.score.type'] = 'null';
  }
  if (score.rationale !== undefined) attributes['gen_ai.evaluation.explanation'] = score.rationale;
  attributes['labbook.score.source'] = score.source;
  if (score.evaluator !== undefined) attributes['labbook.score.evaluator'] = score.evaluator;
  if (score.error !== undefined) {
    attributes['error.type'] = 'labbook.evaluator_error';
    attributes['labbook.score.error'] = score.error;
  }
  return attributes;
}

/**
 * The score an evaluation event describes, or the reason it describes none. Without Labbook's
 * own attributes a numeric value is the value and a label beside it the score's `label`; the
 * source is `code`: the GenAI conventions do not say who evaluated.
 */
export function scoreFromEvaluationEvent(attributes: Record<string, unknown>): { score: Score } | { problem: string } {
  const name = attributes['gen_ai.evaluation.name'];
  if (typeof name !== 'string' || name.trim() === '')
    return { problem: `${EVALUATION_EVENT} event without gen_ai.evaluation.name; kept as an event` };
  const number = toNumber(attributes['gen_ai.evaluation.score.value']);
  const rawLabel = attributes['gen_ai.evaluation.score.label'];
  const label = typeof rawLabel === 'string' ? rawLabel : undefined;
  let value: Score['value'];
  switch (attributes['labbook.score.type']) {
    case 'boolean':
      value = number !== undefined ? number === 1 : label === 'pass';
      break;
    case 'label':
      value = label ?? null;
      break;
    case 'null':
      value = null;
      break;
    default:
      value = number ?? label ?? null;
  }
  // Not safeParse: most events have no source, and a failed parse builds an error to throw away.
  const source = attributes['labbook.score.source'];
  const explanation = attributes['gen_ai.evaluation.explanation'];
  const evaluator = attributes['labbook.score.evaluator'];
  const error = attributes['labbook.score.error'] ?? (typeof attributes['error.type'] === 'string' ? attributes['error.type'] : undefined);
  // In the schema's key order, so the stored JSON is the same as the schema's parse would give.
  // A label beside a number is kept; beside a boolean it is the pass/fail the value already says.
  const keptLabel = typeof value === 'number' && label !== undefined && label !== '' ? label.slice(0, 200) : undefined;
  const score: Score = {
    name: name.slice(0, 200),
    value,
    label: keptLabel,
    rationale: typeof explanation === 'string' ? explanation : undefined,
    source: (scoreSourceSchema.options as readonly unknown[]).includes(source) ? (source as ScoreSource) : 'code',
    evaluator: typeof evaluator === 'string' ? evaluator : undefined,
    error: typeof error === 'string' ? error : undefined,
  };
  return { score };
}
