import fc from 'fast-check';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { SPAN_TYPES } from '../../schemas/span.ts';
import { traceSchema, type Trace } from '../../schemas/trace.ts';
import { fitsTraceSchema } from './fits-trace-schema.ts';
import { importMlflow } from './mlflow/import-mlflow.ts';
import { importOtlp } from './otlp/read-otlp-files.ts';

const FIXTURES = join(import.meta.dirname, '../../test/fixtures/interop');

/** Text at and across a limit (in UTF-16 units and in code points), mostly within it. */
const near = (limit: number) =>
  fc.oneof(
    { arbitrary: fc.constantFrom(1, limit - 1, limit).map((n) => 'x'.repeat(n)), weight: 8 },
    {
      arbitrary: fc.constantFrom('', 'x'.repeat(limit + 1), '😀'.repeat(Math.ceil(limit / 2)), '😀'.repeat(limit), '😀'.repeat(limit + 1)),
      weight: 1,
    },
  );
/** A value of the wrong type, or of the right type the schema refuses. */
const odd = fc.constantFrom<unknown>(undefined, null, NaN, Infinity, -1, 0, 1.5, '', 'ok', true, [], {}, new Map(), new Date(0));
/** Mostly right, now and then wrong: a trace has some thirty fields, and a few must all be right for the check to say yes. */
const maybe = <T>(arb: fc.Arbitrary<T>) => fc.oneof({ arbitrary: arb, weight: 30 }, { arbitrary: odd, weight: 1 });
const optional = <T>(arb: fc.Arbitrary<T>) => fc.option(maybe(arb), { nil: undefined });
const time = maybe(fc.double({ min: 0, max: 2e12, noNaN: true }));

const spanArb = fc.record({
  id: maybe(near(200)),
  parentId: fc.oneof(fc.constant(null), near(200), odd),
  name: maybe(near(1000)),
  type: maybe(fc.constantFrom(...SPAN_TYPES, 'PROMPT')),
  start: time,
  end: time,
  status: maybe(fc.constantFrom('ok', 'error', 'unset', 'failed')),
  error: optional(near(100_000)),
  inputs: fc.option(fc.jsonValue(), { nil: undefined }),
  attributes: optional(fc.dictionary(fc.string(), fc.jsonValue())),
  events: optional(
    fc.array(maybe(fc.record({ name: maybe(near(1000)), time, attributes: optional(fc.dictionary(fc.string(), fc.jsonValue())) })), {
      maxLength: 2,
    }),
  ),
  model: optional(near(500)),
  usage: optional(
    fc.record({
      input: maybe(fc.integer({ min: -1, max: 100 })),
      output: maybe(fc.nat(100)),
      total: optional(fc.integer({ min: -1, max: 200 })),
      cached: optional(fc.nat(10)),
      simulated: optional(fc.boolean()),
    }),
  ),
  cost: optional(
    fc.record({
      input: optional(fc.double({ min: -1, max: 1, noNaN: true })),
      output: optional(fc.double({ min: 0, max: 1 })),
      total: maybe(fc.double({ min: -1, max: 2, noNaN: true })),
    }),
  ),
});

const scoreArb = fc.record({
  name: maybe(near(200)),
  value: fc.oneof(fc.constant(null), fc.boolean(), fc.double(), near(10_000), odd),
  rationale: optional(near(100_000)),
  source: maybe(fc.constantFrom('code', 'llm_judge', 'human', 'robot')),
  evaluator: optional(near(200)),
  error: optional(near(100_000)),
});

const traceArb = fc.record({
  id: maybe(near(200)),
  exampleId: maybe(near(500)),
  input: fc.jsonValue(),
  output: fc.option(fc.jsonValue(), { nil: undefined }),
  status: maybe(fc.constantFrom('ok', 'error', 'ok', 'error', 'unset')),
  error: optional(near(100_000)),
  start: time,
  end: time,
  durationMs: maybe(
    fc.oneof({ arbitrary: fc.double({ min: 0, max: 1e6, noNaN: true }), weight: 20 }, { arbitrary: fc.constantFrom(-1, -0), weight: 1 }),
  ),
  spans: maybe(fc.array(maybe(spanArb), { maxLength: 3 })),
  scores: maybe(fc.array(maybe(scoreArb), { maxLength: 2 })),
  tags: maybe(fc.array(maybe(near(200)), { maxLength: 2 })),
  metadata: optional(fc.dictionary(fc.string(), fc.jsonValue())),
});

describe('fitsTraceSchema', () => {
  test('says yes only to traces the schema accepts', () => {
    let accepted = 0;
    fc.assert(
      fc.property(traceArb, (generated) => {
        const trace = generated as unknown as Trace;
        if (!fitsTraceSchema(trace)) return;
        accepted++;
        expect(traceSchema.safeParse(trace).success).toBe(true);
      }),
      { numRuns: 3000 },
    );
    // The generator must reach both sides, or the property above says little.
    expect(accepted).toBeGreaterThan(100);
    expect(accepted).toBeLessThan(2900);
  });

  test('says yes to every imported sample, whose JSON is byte for byte what the schema parse gives', async () => {
    const otlp = await importOtlp([
      join(FIXTURES, 'otlp-genai-chat-tool.json'),
      join(FIXTURES, 'openinference-rag.jsonl'),
      join(FIXTURES, 'otlp-proto-example.json'),
    ]);
    const mlflow = await importMlflow(join(FIXTURES, 'mlflow'));
    const traces = [...otlp.traces, ...mlflow.traces];
    expect(traces.length).toBe(6);
    for (const trace of traces) {
      expect(fitsTraceSchema(trace)).toBe(true);
      expect(JSON.stringify(trace)).toBe(JSON.stringify(traceSchema.parse(trace)));
    }
  });

  test.each([
    ['an id over 200 characters', (t: Trace) => (t.id = 'x'.repeat(201))],
    ['an infinite span time', (t: Trace) => (t.spans[0]!.end = Infinity)],
    ['a negative token count', (t: Trace) => (t.spans[0]!.usage = { input: -1, output: 0 })],
    ['a score without a name', (t: Trace) => t.scores.push({ name: '', value: 1, source: 'code' })],
    ['a map as attributes', (t: Trace) => (t.spans[0]!.attributes = new Map() as unknown as Record<string, unknown>)],
  ])('is not sure of a trace with %s', (_label, spoil) => {
    const trace: Trace = {
      id: 't',
      exampleId: 'e',
      input: null,
      status: 'ok',
      start: 0,
      end: 1,
      durationMs: 1,
      scores: [],
      tags: [],
      spans: [{ id: 's', parentId: null, name: 'n', type: 'LLM', start: 0, end: 1, status: 'ok' }],
    };
    expect(fitsTraceSchema(trace)).toBe(true);
    spoil(trace);
    expect(fitsTraceSchema(trace)).toBe(false);
  });
});
