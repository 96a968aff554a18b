import fc from 'fast-check';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { scoreSchema } from './score.ts';
import { costSchema, SPAN_TYPES, spanEventSchema, spanSchema, tokenUsageSchema } from './span.ts';
import { traceSchema, type Trace } from './trace.ts';
import { COST_KEYS, EVENT_KEYS, quickParseTrace, SCORE_KEYS, SPAN_KEYS, TRACE_KEYS, USAGE_KEYS } from './trace-quick-parse.ts';
import { importMlflow } from '../src/interop/mlflow/import-mlflow.ts';
import { importOtlp } from '../src/interop/otlp/read-otlp-files.ts';

const FIXTURES = join(import.meta.dirname, '../test/fixtures/interop');

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
/** A field the schema fills with its default when missing, as files written by hand or by other languages leave it out. */
const defaulted = <T>(arb: fc.Arbitrary<T>) => fc.option(maybe(arb), { nil: undefined, freq: 4 }); // missing one time in four
/** Now and then a key the schema does not know (which its parse strips). */
const withStray = <T extends object>(arb: fc.Arbitrary<T>) =>
  fc
    .tuple(
      arb,
      fc.oneof({ arbitrary: fc.constant(null), weight: 15 }, { arbitrary: fc.constantFrom('extra', 'Status', 'span_id'), weight: 1 }),
    )
    .map(([value, key]) => (key === null ? value : { ...value, [key]: 1 }));
const time = maybe(fc.double({ min: 0, max: 2e12, noNaN: true }));
/**
 * A span's times: mostly in order, now and then equal (an instantaneous span, which the schema
 * takes) or the end before the start (which it refuses). Drawn apart, half the spans would end
 * before they start and the generator would seldom reach an accepted trace.
 */
const spanTimes = fc
  .tuple(
    time,
    maybe(
      fc.oneof(
        { arbitrary: fc.double({ min: 0, max: 1e5, noNaN: true }), weight: 20 },
        { arbitrary: fc.constantFrom(0, -0), weight: 3 },
        { arbitrary: fc.constantFrom(-1e-3, -1, -1e5, -2e12), weight: 3 },
      ),
    ),
  )
  .map(([start, gap]) => ({ start, end: typeof start === 'number' && typeof gap === 'number' ? start + gap : gap }));

const spanFields = fc.record({
  id: maybe(near(200)),
  parentId: fc.oneof(fc.constant(null), near(200), odd),
  name: maybe(near(1000)),
  type: defaulted(fc.constantFrom(...SPAN_TYPES, 'PROMPT')),
  status: defaulted(fc.constantFrom('ok', 'error', 'unset', 'failed')),
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
      input: defaulted(fc.integer({ min: -1, max: 100 })),
      output: defaulted(fc.nat(100)),
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
const spanArb = fc.tuple(spanFields, spanTimes).map(([fields, times]) => ({ ...fields, ...times }));

const scoreArb = fc.record({
  name: maybe(near(200)),
  value: fc.oneof(fc.constant(null), fc.boolean(), fc.double(), near(10_000), odd),
  rationale: optional(near(100_000)),
  label: optional(near(200)),
  source: defaulted(fc.constantFrom('code', 'llm_judge', 'human', 'robot')),
  evaluator: optional(near(200)),
  error: optional(near(100_000)),
});

const traceArb = fc.record({
  id: maybe(near(200)),
  exampleId: fc.oneof({ arbitrary: maybe(near(500)), weight: 5 }, { arbitrary: fc.integer(), weight: 1 }),
  trial: optional(fc.integer({ min: 0, max: 10_001 })),
  input: fc.jsonValue(),
  output: fc.option(fc.jsonValue(), { nil: undefined }),
  status: defaulted(fc.constantFrom('ok', 'error', 'ok', 'error', 'unset')),
  error: optional(near(100_000)),
  start: time,
  end: time,
  durationMs: maybe(
    fc.oneof({ arbitrary: fc.double({ min: 0, max: 1e6, noNaN: true }), weight: 20 }, { arbitrary: fc.constantFrom(-1, -0), weight: 1 }),
  ),
  spans: defaulted(fc.array(maybe(withStray(spanArb)), { maxLength: 3 })),
  scores: defaulted(fc.array(maybe(withStray(scoreArb)), { maxLength: 2 })),
  tags: defaulted(fc.array(maybe(near(200)), { maxLength: 2 })),
  metadata: optional(fc.dictionary(fc.string(), fc.jsonValue())),
});

describe('quickParseTrace', () => {
  test('gives what the schema parse gives, or leaves the verdict to it', () => {
    let accepted = 0;
    fc.assert(
      fc.property(withStray(traceArb), (generated) => {
        const quick = quickParseTrace(structuredClone(generated));
        const schema = traceSchema.safeParse(generated);
        if (!schema.success) expect(quick).toBeUndefined();
        if (quick === undefined) return;
        accepted++;
        expect(schema.success).toBe(true);
        expect(quick).toEqual(schema.data);
      }),
      { numRuns: 3000 },
    );
    // The generator must reach both sides, or the property above says little.
    expect(accepted).toBeGreaterThan(100);
    expect(accepted).toBeLessThan(2900);
  });

  test("knows the schema's keys, so a field added to the schema is not left to the slow path unnoticed", () => {
    expect([...TRACE_KEYS].sort()).toEqual(Object.keys(traceSchema.shape).sort());
    expect([...SPAN_KEYS].sort()).toEqual(Object.keys(spanSchema.shape).sort());
    expect([...SCORE_KEYS].sort()).toEqual(Object.keys(scoreSchema.shape).sort());
    expect([...EVENT_KEYS].sort()).toEqual(Object.keys(spanEventSchema.shape).sort());
    expect([...USAGE_KEYS].sort()).toEqual(Object.keys(tokenUsageSchema.shape).sort());
    expect([...COST_KEYS].sort()).toEqual(Object.keys(costSchema.shape).sort());
  });

  test('takes every imported sample, whose JSON is byte for byte what the schema parse gives', async () => {
    const otlp = await importOtlp([
      join(FIXTURES, 'otlp-genai-chat-tool.json'),
      join(FIXTURES, 'openinference-rag.jsonl'),
      join(FIXTURES, 'otlp-proto-example.json'),
    ]);
    const mlflow = await importMlflow(join(FIXTURES, 'mlflow'));
    const traces = [...otlp.traces, ...mlflow.traces];
    expect(traces.length).toBe(6);
    for (const trace of traces) {
      expect(quickParseTrace(trace)).toBe(trace);
      expect(JSON.stringify(trace)).toBe(JSON.stringify(traceSchema.parse(trace)));
    }
  });

  test('fills the defaults a hand-written line leaves out', () => {
    const line = JSON.parse(
      '{"id":"t","exampleId":7,"input":"q","start":0,"end":1,"durationMs":1,"spans":[{"id":"s","name":"n","start":0,"end":1,"usage":{"input":3}}],"scores":[{"name":"ok","value":true}]}',
    );
    expect(quickParseTrace(structuredClone(line))).toEqual(traceSchema.parse(line));
    expect(quickParseTrace(line)).toMatchObject({
      exampleId: '7',
      status: 'ok',
      tags: [],
      spans: [{ parentId: null, type: 'UNKNOWN', usage: { output: 0 } }],
    });
  });

  test('takes an instantaneous span, as the schema does', () => {
    const line = {
      id: 't',
      exampleId: 'e',
      input: null,
      start: 5,
      end: 5,
      durationMs: 0,
      spans: [{ id: 's', name: 'n', start: 5, end: 5 }],
    };
    expect(quickParseTrace(structuredClone(line))).toEqual(traceSchema.parse(line));
  });

  test.each([
    ['an id over 200 characters', (t: Trace) => (t.id = 'x'.repeat(201))],
    ['an infinite span time', (t: Trace) => (t.spans[0]!.end = Infinity)],
    ['a span that ends before it starts', (t: Trace) => (t.spans[0]!.end = -0.001)],
    ['a negative token count', (t: Trace) => (t.spans[0]!.usage = { input: -1, output: 0 })],
    ['a score without a name', (t: Trace) => t.scores.push({ name: '', value: 1, source: 'code' })],
    ['a map as attributes', (t: Trace) => (t.spans[0]!.attributes = new Map() as unknown as Record<string, unknown>)],
    ['a key the schema does not know', (t: Trace) => Object.assign(t.spans[0]!, { parent_id: 'x' })],
    ['a record with its own key __proto__, as JSON.parse makes it', (t: Trace) => (t.metadata = JSON.parse('{"__proto__": []}'))],
    [
      'an attribute nested past the depth limit',
      (t: Trace) => (t.spans[0]!.attributes = { deep: JSON.parse('['.repeat(130) + ']'.repeat(130)) }),
    ],
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
    expect(quickParseTrace(trace)).toBe(trace);
    spoil(trace);
    expect(quickParseTrace(trace)).toBeUndefined();
  });
});
