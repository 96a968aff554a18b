import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { SPAN_TYPES, type Span } from '../../../schemas/span.ts';
import { traceSchema, type Trace } from '../../../schemas/trace.ts';
import { importOtlpRequests } from './import-otlp.ts';
import { importOtlp } from './read-otlp-files.ts';
import { tracesToOtlpRequest } from './export.ts';
import { writeOtlpFile } from './write-otlp-file.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'labbook-otlp-export-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const T = 1_750_000_000_000.123456;

/** A trace as Labbook's SDK writes one: ids that are not OTLP hex, every kind of score. */
function sampleTrace(): Trace {
  const messages = [
    { role: 'system', content: 'You answer with a number.' },
    { role: 'user', content: 'What is 2 + 2?' },
  ];
  return traceSchema.parse({
    id: 'trace-0001',
    exampleId: 'arith-17',
    input: { question: 'What is 2 + 2?' },
    output: '4',
    expected: '4',
    status: 'ok',
    start: T,
    end: T + 900.5,
    durationMs: 900.5,
    tags: ['smoke', 'arith'],
    metadata: { shard: 1 },
    spans: [
      {
        id: 'root',
        parentId: null,
        name: 'agent',
        type: 'AGENT',
        start: T,
        end: T + 900.5,
        status: 'ok',
        inputs: { question: 'What is 2 + 2?' },
        outputs: '4',
      },
      {
        id: 'plan',
        parentId: 'root',
        name: 'plan',
        type: 'CHAIN',
        start: T + 1,
        end: T + 10,
        status: 'ok',
        inputs: 'What is 2 + 2?',
        outputs: { steps: ['add'] },
      },
      {
        id: 'llm-1',
        parentId: 'plan',
        name: 'chat gpt-4o-mini',
        type: 'CHAT_MODEL',
        start: T + 2.000001,
        end: T + 9,
        status: 'ok',
        inputs: messages,
        outputs: [{ role: 'assistant', content: '4' }],
        model: 'gpt-4o-mini',
        usage: { input: 21, output: 1, total: 22, cached: 16, simulated: true },
        cost: { input: 0.0000031, output: 0.0000006, total: 0.0000037 },
        attributes: { 'gen_ai.provider.name': 'openai', 'gen_ai.request.temperature': 0 },
      },
      {
        id: 'tool-1',
        parentId: 'root',
        name: 'calculator',
        type: 'TOOL',
        start: T + 11,
        end: T + 12,
        status: 'error',
        error: 'ZeroDivisionError: division by zero',
        inputs: { a: 2, b: 0 },
        attributes: { 'gen_ai.tool.name': 'calculator' },
        events: [{ name: 'exception', time: T + 12, attributes: { 'exception.type': 'ZeroDivisionError' } }],
      },
      {
        id: 'parse',
        parentId: 'root',
        name: 'parse',
        type: 'PARSER',
        start: T + 13,
        end: T + 14,
        status: 'unset',
        inputs: '{"looks": "like json"}',
        outputs: 4,
      },
      {
        id: 'mem',
        parentId: 'root',
        name: 'memory',
        type: 'MEMORY',
        start: T + 15,
        end: T + 16,
        status: 'ok',
        attributes: { nested: { list: [1, 'two', null, true], depth: { x: 1.5 } } },
      },
      {
        id: 'emb',
        parentId: 'root',
        name: 'embed',
        type: 'EMBEDDING',
        start: T + 17,
        end: T + 18,
        status: 'ok',
        model: 'text-embedding-3-small',
        usage: { input: 5, output: 0, total: 5 },
      },
    ],
    scores: [
      { name: 'exact', value: true, source: 'code', evaluator: 'exact_match' },
      { name: 'similarity', value: 0.93, label: 'close', source: 'code' },
      { name: 'tone', value: 'neutral', source: 'llm_judge', rationale: 'No emotion either way.', evaluator: 'gpt-4o' },
      { name: 'judge', value: null, source: 'llm_judge', error: 'timeout after 30 s' },
      { name: 'thumbs', value: false, source: 'human' },
    ],
  });
}

/** Span times come back within a nanosecond's rounding (and the ~0.2 µs a double holds at this epoch). */
function expectSameTrace(actual: Trace, expected: Trace): void {
  const strip = (trace: Trace) => ({
    ...trace,
    spans: trace.spans.map(({ start: _s, end: _e, events, ...rest }) => ({
      ...rest,
      events: events?.map(({ time: _t, ...event }) => event),
    })),
  });
  expect(strip(actual)).toEqual(strip(expected));
  actual.spans.forEach((span, i) => {
    const original = expected.spans[i]!;
    expect(Math.abs(span.start - original.start)).toBeLessThan(5e-4);
    expect(Math.abs(span.end - original.end)).toBeLessThan(5e-4);
    span.events?.forEach((event, j) => expect(Math.abs(event.time - original.events![j]!.time)).toBeLessThan(5e-4));
  });
}

describe('export to OTLP, then import', () => {
  test('gives back the same trace', () => {
    const trace = sampleTrace();
    const request = tracesToOtlpRequest([trace]);
    const { traces, report } = importOtlpRequests([JSON.parse(JSON.stringify(request))]);
    expect(report.warnings).toEqual([]);
    expectSameTrace(traces[0]!, trace);
  });

  test('writes the conventions other backends read', () => {
    const [root, , llm, tool] = tracesToOtlpRequest([sampleTrace()]).resourceSpans[0]!.scopeSpans[0]!.spans;
    const attrs = (span: typeof llm) => Object.fromEntries(span!.attributes.map(({ key, value }) => [key, value]));
    expect(llm!.kind).toBe(3); // CLIENT
    expect(attrs(llm)).toMatchObject({
      'openinference.span.kind': { stringValue: 'LLM' },
      'gen_ai.operation.name': { stringValue: 'chat' },
      'gen_ai.request.model': { stringValue: 'gpt-4o-mini' },
      'llm.model_name': { stringValue: 'gpt-4o-mini' },
      'gen_ai.usage.input_tokens': { intValue: '21' },
      'llm.token_count.total': { intValue: '22' },
      'llm.cost.total': { doubleValue: 0.0000037 },
      'llm.input_messages.1.message.content': { stringValue: 'What is 2 + 2?' },
      'gen_ai.input.messages': {
        stringValue: JSON.stringify([
          { role: 'system', parts: [{ type: 'text', content: 'You answer with a number.' }] },
          { role: 'user', parts: [{ type: 'text', content: 'What is 2 + 2?' }] },
        ]),
      },
      'labbook.span.type': { stringValue: 'CHAT_MODEL' },
    });
    expect(tool!.status).toEqual({ code: 2, message: 'ZeroDivisionError: division by zero' });
    expect(attrs(tool)).toMatchObject({
      'gen_ai.operation.name': { stringValue: 'execute_tool' },
      'gen_ai.tool.call.arguments': { stringValue: '{"a":2,"b":0}' },
    });
    expect(root!.parentSpanId).toBeUndefined();
    expect(root!.traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(root!.events!.filter((e) => e.name === 'gen_ai.evaluation.result')).toHaveLength(5);
    const similarity = root!.events!.find((e) => e.attributes!.some((a) => a.value?.stringValue === 'similarity'))!;
    expect(Object.fromEntries(similarity.attributes!.map(({ key, value }) => [key, value]))).toMatchObject({
      'gen_ai.evaluation.score.value': { doubleValue: 0.93 },
    });
  });

  test('a trace without spans travels on a placeholder span, dropped on import', () => {
    const trace = traceSchema.parse({
      id: '0af7651916cd43dd8448eb211c80319c',
      exampleId: 'e1',
      input: 'hi',
      status: 'error',
      error: 'agent crashed',
      start: 5,
      end: 6,
      durationMs: 1,
      scores: [{ name: 'ok', value: false }],
    });
    const { traces, report } = importOtlpRequests([tracesToOtlpRequest([trace])]);
    expect(traces).toEqual([trace]);
    expect(report.mapped.spans).toBe(0);
  });

  test('holds for generated traces (ids, parents, types, times, model, usage, cost, inputs, outputs, attributes)', () => {
    const json = fc.jsonValue({ maxDepth: 3 }).map((value) => JSON.parse(JSON.stringify(value)) as unknown);
    const spanArb = (index: number, parentCount: number) =>
      fc.record(
        {
          id: fc.oneof(fc.stringMatching(/^[0-9a-f]{16}$/), fc.string({ minLength: 1, maxLength: 20 })).map((id) => `${id}#${index}`),
          parent: fc.integer({ min: -1, max: parentCount - 1 }),
          name: fc.string({ maxLength: 30 }),
          type: fc.constantFrom(...SPAN_TYPES),
          start: fc.double({ min: 1e12, max: 2e12, noNaN: true }),
          length: fc.double({ min: 0, max: 1e6, noNaN: true }),
          status: fc.constantFrom('ok', 'error', 'unset'),
          inputs: fc.option(json, { nil: undefined }),
          outputs: fc.option(json, { nil: undefined }),
          model: fc.option(
            fc.string({ minLength: 1, maxLength: 40 }).filter((m) => m.trim() !== ''),
            { nil: undefined },
          ),
          usage: fc.option(
            fc.record({ input: fc.nat(1e6), output: fc.nat(1e6), total: fc.nat(3e6), cached: fc.option(fc.nat(1e6), { nil: undefined }) }),
            { nil: undefined },
          ),
          cost: fc.option(
            fc.record({
              input: fc.double({ min: 0, max: 10, noNaN: true }),
              output: fc.double({ min: 0, max: 10, noNaN: true }),
              total: fc.double({ min: 0, max: 20, noNaN: true }),
            }),
            { nil: undefined },
          ),
          attributes: fc.option(fc.dictionary(fc.stringMatching(/^x\.[a-z_]{1,12}$/), json, { maxKeys: 4 }), { nil: undefined }),
        },
        { requiredKeys: ['id', 'parent', 'name', 'type', 'start', 'length', 'status'] },
      );
    const traceArb = fc.integer({ min: 0, max: 6 }).chain((count) =>
      fc.record({
        spans: fc.tuple(...Array.from({ length: count }, (_, i) => spanArb(i, i))),
        input: json,
        output: fc.option(json, { nil: undefined }),
        exampleId: fc.string({ minLength: 1, maxLength: 30 }),
        id: fc.string({ minLength: 1, maxLength: 40 }),
      }),
    );
    fc.assert(
      fc.property(traceArb, (generated) => {
        const spans: Span[] = generated.spans.map((s, i, all) => {
          const span: Span = {
            id: s.id,
            parentId: s.parent >= 0 ? all[s.parent]!.id : null,
            name: s.name,
            type: s.type,
            start: s.start,
            end: s.start + s.length,
            status: s.status,
          };
          if (s.status === 'error') span.error = 'failed';
          for (const key of ['inputs', 'outputs', 'model', 'usage', 'cost', 'attributes'] as const) {
            const value = s[key as keyof typeof s];
            if (value !== undefined && !(key === 'attributes' && Object.keys(value as object).length === 0))
              (span as Record<string, unknown>)[key] = key === 'usage' ? withoutUndefined(value as object) : value;
          }
          return span;
        });
        const start = spans.length > 0 ? Math.min(...spans.map((s) => s.start)) : 1e12;
        const end = spans.length > 0 ? Math.max(...spans.map((s) => s.end)) : 1e12;
        const trace = traceSchema.parse({
          id: generated.id,
          exampleId: generated.exampleId,
          input: generated.input,
          output: generated.output,
          start,
          end,
          durationMs: end - start,
          spans,
        });
        const { traces, report } = importOtlpRequests([JSON.parse(JSON.stringify(tracesToOtlpRequest([trace])))]);
        expect(report.warnings).toEqual([]);
        expect(traces).toHaveLength(1);
        expectSameTrace(traces[0]!, trace);
      }),
      { numRuns: 200 },
    );
  });
});

describe('writeOtlpFile', () => {
  test.each(['json', 'jsonl'] as const)('%s: streams traces to a file the importer reads back', async (format) => {
    const file = join(dir, `run.${format}`);
    const traces = [sampleTrace(), { ...sampleTrace(), id: 'trace-0002', exampleId: 'arith-18' }];
    async function* stream() {
      yield* traces;
    }
    expect(await writeOtlpFile(stream(), file, { format, resourceAttributes: { 'labbook.run.id': 'r1' } })).toEqual({
      traces: 2,
      spans: 14,
    });
    const text = await readFile(file, 'utf8');
    if (format === 'json') expect(JSON.parse(text).resourceSpans[0].scopeSpans[0].spans).toHaveLength(14);
    else expect(text.trimEnd().split('\n')).toHaveLength(2);
    const { traces: back } = await importOtlp(file);
    back.forEach((trace, i) => expectSameTrace(trace, traces[i]!));
  });

  test('a folder that cannot be made is an error, not a hang', async () => {
    const blocker = join(dir, 'a-file');
    await import('node:fs/promises').then((fs) => fs.writeFile(blocker, ''));
    await expect(writeOtlpFile([sampleTrace()], join(blocker, 'run.json'), { format: 'json' })).rejects.toThrow(/ENOTDIR|EEXIST/);
  });

  test('a failure part-way leaves no file behind', async () => {
    const file = join(dir, 'broken.json');
    async function* failing() {
      yield sampleTrace();
      throw new Error('the run could not be read');
    }
    await expect(writeOtlpFile(failing(), file, { format: 'json' })).rejects.toThrow('the run could not be read');
    expect(existsSync(file)).toBe(false);
    expect((await import('node:fs/promises').then((fs) => fs.readdir(dir))).filter((name) => name.startsWith('broken'))).toEqual([]);
  });
});

function withoutUndefined(value: object): object {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined));
}
