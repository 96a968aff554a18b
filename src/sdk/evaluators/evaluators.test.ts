import { describe, expect, it } from 'vitest';
import type { Span } from '../../../schemas/span.ts';
import { UsageError } from '../../errors/index.ts';
import { runEvaluators, scoreFields, type EvalContext, type EvaluatorLike } from './evaluator.ts';
import { evaluators } from './index.ts';

const { exactMatch, includes, regex, jsonValid, jsonSchema, numericCloseness, latencyBudget, tokenBudget } = evaluators;

function context(fields: Partial<Omit<EvalContext, 'trace'>> & { durationMs?: number; spans?: Span[] }): EvalContext {
  return {
    input: fields.input ?? 'q',
    output: fields.output,
    expected: fields.expected,
    trace: {
      id: 't',
      exampleId: 'e',
      status: 'ok',
      start: 0,
      end: fields.durationMs ?? 5,
      durationMs: fields.durationMs ?? 5,
      spans: fields.spans ?? [],
      tags: [],
    },
  };
}

/** The score one evaluator gives: value, and rationale or error when there is one. */
async function score(evaluator: EvaluatorLike, fields: Parameters<typeof context>[0]) {
  const [result] = await runEvaluators([evaluator as never], context(fields));
  return result!;
}

function llmSpan(id: string, usage?: Span['usage']): Span {
  return { id, parentId: null, name: id, type: 'LLM', start: 0, end: 1, status: 'ok', ...(usage ? { usage } : {}) };
}

describe('exactMatch', () => {
  it('passes equal text and fails different text with a rationale', async () => {
    expect(await score(exactMatch(), { output: 'Paris', expected: 'Paris' })).toEqual({
      name: 'exact_match',
      value: true,
      source: 'code',
      evaluator: 'exactMatch',
    });
    expect(await score(exactMatch(), { output: 'paris ', expected: 'Paris' })).toMatchObject({
      value: false,
      rationale: 'expected "Paris", got "paris "',
    });
  });

  it('normalizes case and whitespace when asked', async () => {
    expect((await score(exactMatch({ normalize: true }), { output: '  the   EIFFEL\ttower ', expected: 'The Eiffel Tower' })).value).toBe(
      true,
    );
    expect((await score(exactMatch({ normalize: true }), { output: 'the tower', expected: 'The Eiffel Tower' })).value).toBe(false);
  });

  it('compares numbers as text and data as canonical JSON', async () => {
    expect((await score(exactMatch(), { output: 42, expected: '42' })).value).toBe(true);
    expect((await score(exactMatch(), { output: { b: [1], a: 2 }, expected: { a: 2, b: [1] } })).value).toBe(true);
    expect((await score(exactMatch(), { output: { a: 2 }, expected: { a: 3 } })).value).toBe(false);
    expect((await score(exactMatch(), { output: undefined, expected: 'x' })).value).toBe(false);
  });

  it('gives an error score when there is nothing expected', async () => {
    expect(await score(exactMatch({ name: 'correct' }), { output: 'x' })).toMatchObject({
      name: 'correct',
      value: null,
      error: 'the example has no expected value',
    });
  });
});

describe('includes', () => {
  it('uses the expected text or list', async () => {
    expect((await score(includes(), { output: 'The capital is Paris.', expected: 'Paris' })).value).toBe(true);
    expect((await score(includes(), { output: 'Paris and Lyon', expected: ['Paris', 'Lyon'] })).value).toBe(true);
    expect(await score(includes(), { output: 'Paris only', expected: ['Paris', 'Lyon'] })).toMatchObject({
      value: false,
      rationale: 'missing "Lyon"',
    });
  });

  it('takes its own needle, optionally ignoring case', async () => {
    expect((await score(includes('sources:'), { output: 'Sources: a' })).value).toBe(false);
    expect((await score(includes('sources:', { ignoreCase: true }), { output: 'Sources: a' })).value).toBe(true);
    expect((await score(includes({ value: ['a', 'b'] }), { output: 'ab' })).value).toBe(true);
    expect(() => includes(3 as never)).toThrow(UsageError);
  });

  it('fails on no output', async () => {
    expect(await score(includes('x'), { output: undefined })).toMatchObject({ value: false, rationale: 'no output' });
  });
});

describe('regex', () => {
  it('passes a match and fails otherwise, the same way every time even with the g flag', async () => {
    const evaluator = regex(/\d{3}/g);
    for (let i = 0; i < 3; i++) expect((await score(evaluator, { output: 'code 123' })).value).toBe(true);
    expect(await score(regex('^yes$'), { output: 'no' })).toMatchObject({ value: false, rationale: 'does not match /^yes$/' });
  });

  it('refuses an invalid pattern when made', () => {
    expect(() => regex('(')).toThrow(UsageError);
  });
});

describe('jsonValid', () => {
  it('passes JSON text and parsed data, fails other text and no output', async () => {
    expect((await score(jsonValid(), { output: '{"a": [1, 2]}' })).value).toBe(true);
    expect((await score(jsonValid(), { output: { a: 1 } })).value).toBe(true);
    expect(await score(jsonValid(), { output: '{a: 1}' })).toMatchObject({ value: false, rationale: expect.stringMatching(/^not JSON: /) });
    expect((await score(jsonValid(), { output: undefined })).value).toBe(false);
  });
});

describe('jsonSchema', () => {
  const schema = {
    type: 'object',
    properties: {
      answer: { type: 'string' },
      confidence: { type: 'number', minimum: 0, maximum: 1 },
      kind: { enum: ['fact', 'math'] },
      sources: { type: 'array', items: { type: 'string' } },
    },
    required: ['answer', 'confidence'],
  };

  it('passes matching data, parsed from text or not', async () => {
    expect(
      (await score(jsonSchema(schema), { output: '{"answer": "x", "confidence": 0.5, "kind": "fact", "sources": ["a"]}' })).value,
    ).toBe(true);
    expect((await score(jsonSchema(schema), { output: { answer: 'x', confidence: 1 } })).value).toBe(true);
  });

  it('fails with the fields that are wrong', async () => {
    const missing = await score(jsonSchema(schema), { output: { confidence: 2, kind: 'poem', sources: [1] } });
    expect(missing.value).toBe(false);
    expect(missing.rationale).toContain('answer:');
    expect(missing.rationale).toContain('confidence:');
    expect(missing.rationale).toContain('; and 1 more');
    expect((await score(jsonSchema(schema), { output: 'not json' })).rationale).toMatch(/^not JSON/);
  });
});

describe('numericCloseness', () => {
  it('passes within an absolute tolerance and fails outside it', async () => {
    expect(await score(numericCloseness({ tolerance: 0.5 }), { output: '41.6', expected: 42 })).toMatchObject({
      value: true,
      rationale: '|41.6 − 42| = 0.4 ≤ 0.5',
    });
    expect(await score(numericCloseness({ tolerance: 0.5 }), { output: 41, expected: '42' })).toMatchObject({
      value: false,
      rationale: '|41 − 42| = 1 > 0.5',
    });
  });

  it('supports a relative tolerance', async () => {
    expect((await score(numericCloseness({ tolerance: 0.01, relative: true }), { output: 1005, expected: 1000 })).value).toBe(true);
    expect((await score(numericCloseness({ tolerance: 0.01, relative: true }), { output: 1011, expected: 1000 })).value).toBe(false);
  });

  it('fails text that is not a number, and errors when the expected value is not one', async () => {
    expect(await score(numericCloseness({ tolerance: 1 }), { output: 'about 42', expected: 42 })).toMatchObject({
      value: false,
      rationale: 'the output is not a number: "about 42"',
    });
    expect(await score(numericCloseness({ tolerance: 1 }), { output: 42, expected: 'n/a' })).toMatchObject({
      value: null,
      error: expect.stringContaining('not a number'),
    });
    expect(() => numericCloseness({ tolerance: -1 })).toThrow(UsageError);
  });
});

describe('latencyBudget', () => {
  it('compares the trace duration with the budget', async () => {
    expect(await score(latencyBudget(100), { durationMs: 80 })).toMatchObject({ value: true, rationale: '80.0 ms ≤ 100 ms' });
    expect(await score(latencyBudget(100), { durationMs: 120.25 })).toMatchObject({ value: false, rationale: '120.3 ms > 100 ms' });
  });
});

describe('tokenBudget', () => {
  it('sums the tokens of every span', async () => {
    const spans = [llmSpan('a', { input: 50, output: 20, total: 70 }), llmSpan('b', { input: 20, output: 10 }), llmSpan('c')];
    expect(await score(tokenBudget(100), { spans })).toMatchObject({ value: true, rationale: '100 tokens ≤ 100' });
    expect(await score(tokenBudget(99), { spans })).toMatchObject({ value: false, rationale: '100 tokens > 99' });
    expect((await score(tokenBudget(10), { spans: [] })).rationale).toContain('no span recorded token usage');
  });
});

describe('custom evaluators', () => {
  it('take numbers, booleans, strings and rationales, sync or async', async () => {
    const scores = await runEvaluators(
      [
        { name: 'length', evaluate: ({ output }: EvalContext) => String(output).length },
        { name: 'judge', source: 'llm_judge', evaluate: async () => ({ value: 'good', rationale: 'reads well' }) },
      ],
      context({ output: 'abc' }),
    );
    expect(scores).toEqual([
      { name: 'length', value: 3, source: 'code', evaluator: 'length' },
      { name: 'judge', value: 'good', rationale: 'reads well', source: 'llm_judge', evaluator: 'judge' },
    ]);
  });

  it('turn a throw, a rejection or a bad return into an error score', async () => {
    const scores = await runEvaluators(
      [
        {
          name: 'throws',
          evaluate: () => {
            throw new Error('judge offline');
          },
        },
        { name: 'rejects', evaluate: async () => Promise.reject(new TypeError('bad')) },
        { name: 'nan', evaluate: () => Number.NaN },
        { name: 'nothing', evaluate: () => undefined as never },
        { name: 'object', evaluate: () => ({ score: 1 }) as never },
      ],
      context({ output: 'x' }),
    );
    expect(scores.map((s) => [s.name, s.value, s.error])).toEqual([
      ['throws', null, 'judge offline'],
      ['rejects', null, 'TypeError: bad'],
      ['nan', null, 'returned NaN, which is not a finite number'],
      ['nothing', null, 'returned undefined; expected a number, boolean, string or { value, rationale }'],
      ['object', null, 'returned an object; expected a number, boolean, string or { value, rationale }'],
    ]);
  });

  it('keeps a value with its rationale and refuses a non-finite one inside it', () => {
    expect(scoreFields({ value: 0.5, rationale: 'half' })).toEqual({ value: 0.5, rationale: 'half' });
    expect(scoreFields({ value: -Infinity, rationale: 'x' })).toEqual({
      value: null,
      error: 'returned -Infinity, which is not a finite number',
      rationale: 'x',
    });
  });
});

describe('built-ins made wrongly', () => {
  it('refuse a misspelt option or an argument of the wrong kind, naming it', () => {
    expect(() => exactMatch({ normalise: true } as never)).toThrow('exactMatch(): unknown option "normalise" (did you mean "normalize"?)');
    expect(() => exactMatch('x' as never)).toThrow('exactMatch() expects an options object, got "x"');
    expect(() => includes('x', { ignorecase: true } as never)).toThrow('did you mean "ignoreCase"?');
    expect(() => includes({ values: ['a'] } as never)).toThrow('includes(): unknown option "values" (did you mean "value"?)');
    expect(() => numericCloseness({ tolerence: 1 } as never)).toThrow('did you mean "tolerance"?');
    expect(() => numericCloseness({ tolerance: '1' } as never)).toThrow('got "1"');
    expect(() => latencyBudget('2000' as never)).toThrow('latencyBudget(): expected a number of milliseconds, got "2000"');
    expect(() => tokenBudget(100, { nme: 'x' } as never)).toThrow('tokenBudget(): unknown option "nme"');
    expect(() => regex(3 as never)).toThrow('regex(): expected a RegExp or a string, got 3');
    expect(() => jsonSchema('x' as never)).toThrow('jsonSchema(): expected a JSON Schema (an object or a boolean), got "x"');
    expect(() => jsonValid({ name: 'ok', strict: true } as never)).toThrow('jsonValid(): unknown option "strict"');
  });
});
