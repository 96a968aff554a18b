import { describe, expect, it } from 'vitest';
import type { EvalContext, EvaluatedTrace } from '../../src/sdk/index.ts';
import type { Span } from '../../schemas/span.ts';
import { answerType } from './answer-type.ts';
import { correct, isCorrect, normalizeAnswer } from './correct.ts';
import { grounded } from './grounded.ts';
import { simulatedLatency } from './simulated-latency.ts';

function span(fields: Partial<Span> & Pick<Span, 'name' | 'type'>): Span {
  return { id: fields.name, parentId: null, start: 0, end: 1, status: 'ok', ...fields };
}
function context(output: unknown, spans: Span[] = [], expected: unknown = undefined): EvalContext {
  const trace: EvaluatedTrace = { id: 't1', exampleId: 'q001', status: 'ok', start: 0, end: 1, durationMs: 1, spans, tags: [] };
  return { input: {}, output, expected, trace };
}

describe('correct', () => {
  it('normalises case, punctuation, currency and number formatting', () => {
    expect(normalizeAnswer('It costs $1,349.00!')).toBe('it costs 1349');
    expect(normalizeAnswer('R-value of 4.20.')).toBe('r value of 4.2');
  });

  it('finds the expected answer as whole words only', () => {
    expect(isCorrect('Unused items can be returned within 45 days of delivery.', '45 days')).toBe(true);
    expect(isCorrect('349', '349.00')).toBe(true);
    expect(isCorrect('It takes 15 minutes.', '5')).toBe(false);
    expect(isCorrect('anything', '')).toBe(false);
  });

  it('is a boolean score with a rationale when it fails', async () => {
    expect(await correct.evaluate(context('Reno, Nevada', [], 'Reno'))).toEqual({ value: true });
    expect(await correct.evaluate(context('Boulder', [], 'Reno'))).toEqual({ value: false, rationale: '"Reno" not found in the answer' });
    expect(await correct.evaluate(context(undefined, [], 'Reno'))).toMatchObject({ value: false });
  });
});

describe('grounded', () => {
  const retrieved = span({
    name: 'retrieve',
    type: 'RETRIEVER',
    outputs: [{ id: 'shipping/carrier', text: 'Domestic parcels are carried by Parcelwing.' }],
  });

  it('is the share of answer terms found in retrieved passages and tool outputs', async () => {
    expect(await grounded.evaluate(context('Parcelwing carries domestic parcels.', [retrieved]))).toMatchObject({ value: 1 });
    const halfInvented = await grounded.evaluate(context('Parcelwing uses drones daily.', [retrieved]));
    expect(halfInvented).toEqual({ value: 0.25, rationale: 'not in the evidence: use, drone, daily' });
    const tool = span({ name: 'lookup', type: 'TOOL', inputs: { product: 'Ridgeline 2' }, outputs: '349.00' });
    expect(await grounded.evaluate(context('349.00', [tool]))).toMatchObject({ value: 1 });
  });

  it('scores a refusal or an empty answer as making no claim', async () => {
    expect(await grounded.evaluate(context("I don't know."))).toMatchObject({ value: 1 });
    expect(await grounded.evaluate(context(undefined))).toMatchObject({ value: 1 });
  });
});

describe('answer_type', () => {
  it('labels refusals, tool answers and quotes', async () => {
    expect(await answerType.evaluate(context("I don't know."))).toBe('refusal');
    expect(await answerType.evaluate(context('54', [span({ name: 'calculator', type: 'TOOL' })]))).toEqual({
      value: 'tool',
      rationale: 'used calculator',
    });
    expect(await answerType.evaluate(context('A quote.', [span({ name: 'calculator', type: 'TOOL', status: 'error' })]))).toBe(
      'extractive',
    );
  });
});

describe('simulated_latency_ms', () => {
  it('sums the simulated latency of the LLM spans only', async () => {
    const spans = [
      span({ name: 'route', type: 'LLM', attributes: { simulated_latency_ms: 180 } }),
      span({ name: 'answer', type: 'LLM', attributes: { simulated_latency_ms: 620 } }),
      span({ name: 'agent', type: 'AGENT', attributes: { simulated_latency_ms: 800 } }),
    ];
    expect(await simulatedLatency.evaluate(context('x', spans))).toBe(800);
  });
});
