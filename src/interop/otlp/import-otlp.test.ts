import { mkdtemp, rm, writeFile, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { traceSchema } from '../../../schemas/trace.ts';
import { FileFormatError } from '../../errors/index.ts';
import { checkSpanTree } from '../../store/span-tree.ts';
import { formatImportReport } from '../format-import-report.ts';
import { importOtlpRequests } from './import-otlp.ts';
import { importOtlp } from './read-otlp-files.ts';

const FIXTURES = join(import.meta.dirname, '../../../test/fixtures/interop');
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'labbook-otlp-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const kv = (key: string, value: Record<string, unknown>) => ({ key, value });
const request = (spans: unknown[]) => ({
  resourceSpans: [{ resource: { attributes: [] }, scopeSpans: [{ scope: { name: 'test' }, spans }] }],
});

describe('the OpenTelemetry protocol repository example (examples/trace.json)', () => {
  test('its span, whose parent is not in the file, becomes a root with a warning', async () => {
    const file = join(FIXTURES, 'otlp-proto-example.json');
    const { traces, report } = await importOtlp(file);
    expect(traces).toHaveLength(1);
    const [trace] = traces;
    expect(trace!.id).toBe('5b8efff798038103d269b633813fc60c'); // upper-case hex normalised
    expect(trace!.spans[0]).toMatchObject({
      id: 'eee19b7ec3c1b174',
      parentId: null,
      name: "I'm a server span",
      type: 'UNKNOWN',
      start: 1544712660000,
      end: 1544712661000,
      attributes: { 'my.span.attr': 'some value', 'otel.span.kind': 'SERVER', 'otel.parent_span_id': 'eee19b7ec3c1b173' },
    });
    expect(trace!.metadata).toEqual({ 'service.name': 'my.service' });
    expect(report.mapped).toMatchObject({ traces: 1, spans: 1, orphanSpans: 1, kindSources: { none: 1 } });
    expect(report.warnings.map((w) => w.message)).toEqual(
      expect.arrayContaining([expect.stringMatching(/names parent eee19b7ec3c1b173, which is not in the input; imported as a root/)]),
    );
    expect(report.warnings.every((w) => w.file === file)).toBe(true);
    expect(traceSchema.safeParse(trace).success).toBe(true);
  });
});

describe('GenAI conventions', () => {
  test('chat, tool call, evaluation event and an older gen_ai.system emitter', async () => {
    const { traces, report } = await importOtlp(join(FIXTURES, 'otlp-genai-chat-tool.json'));
    expect(traces.map((t) => t.id)).toEqual(['4bf92f3577b34da6a3ce929d0e0e4736', '0af7651916cd43dd8448eb211c80319c']);
    const [agent, legacy] = traces as [NonNullable<(typeof traces)[0]>, NonNullable<(typeof traces)[0]>];

    expect(agent.input).toEqual([{ role: 'user', content: "What's the weather in Paris?" }]);
    expect(agent.output).toEqual([{ role: 'assistant', content: 'It is 18°C and sunny in Paris.', finish_reason: 'stop' }]);
    expect(agent.durationMs).toBe(2400);
    // The event's numeric value and its label are both kept.
    expect(agent.scores).toEqual([
      { name: 'relevance', value: 0.85, label: 'relevant', source: 'code', rationale: 'The answer addresses the city and the weather.' },
    ]);
    expect(agent.spans.map((s) => s.type)).toEqual(['AGENT', 'CHAT_MODEL', 'TOOL', 'CHAT_MODEL']);
    expect(agent.spans[0]!.events).toBeUndefined(); // the evaluation event became the score

    const chat = agent.spans[1]!;
    expect(chat.model).toBe('gpt-4o-mini-2024-07-18');
    expect(chat.usage).toEqual({ input: 57, output: 18, total: 75 });
    expect(chat.inputs).toEqual([
      { role: 'system', content: 'You are a weather assistant.' },
      { role: 'user', content: "What's the weather in Paris?" },
    ]);
    // A tool-call part becomes the assistant's tool call (name, arguments), as the site draws it.
    expect(chat.outputs).toEqual([
      {
        role: 'assistant',
        content: '',
        tool_calls: [
          { id: 'call_VSPygqKTWdrhaFErNvMV18Yl', type: 'function', function: { name: 'get_weather', arguments: { location: 'Paris' } } },
        ],
        finish_reason: 'tool_call',
      },
    ]);
    // The request model differs from the resolved one, so it is kept; everything else is typed.
    expect(chat.attributes).toEqual({
      'gen_ai.provider.name': 'openai',
      'gen_ai.request.model': 'gpt-4o-mini',
      'gen_ai.request.temperature': 0.2,
      'gen_ai.request.max_tokens': 256,
      'gen_ai.response.id': 'chatcmpl-9xyz',
      'gen_ai.response.finish_reasons': ['tool_calls'],
      'otel.span.kind': 'CLIENT',
    });
    expect(chat.status).toBe('unset');

    const tool = agent.spans[2]!;
    expect(tool).toMatchObject({ inputs: { location: 'Paris' }, outputs: { temperature_c: 18, conditions: 'sunny' } });
    expect(tool.attributes).toEqual({
      'gen_ai.tool.name': 'get_weather',
      'gen_ai.tool.type': 'function',
      'gen_ai.tool.call.id': 'call_VSPygqKTWdrhaFErNvMV18Yl',
    });
    expect(agent.spans[3]!.usage).toEqual({ input: 98, output: 14, total: 112, cached: 64 });

    // base64 ids, the SPAN_KIND_ and STATUS_CODE_ enum names, gen_ai.system, prompt/completion token names.
    const failed = legacy.spans[0]!;
    expect(failed).toMatchObject({
      id: '3e0c1b7a9f8d2c11',
      type: 'LLM',
      status: 'error',
      error: 'RateLimitError: Rate limit reached for davinci-002',
      model: 'davinci-002',
      usage: { input: 12, output: 0, total: 12 },
    });
    expect(failed.attributes).toEqual({ 'gen_ai.system': 'openai', 'gen_ai.provider.name': 'openai', 'otel.span.kind': 'CLIENT' });
    expect(legacy.status).toBe('error');
    expect(legacy.error).toBe('RateLimitError: Rate limit reached for davinci-002');
    expect(report.mapped).toMatchObject({ traces: 2, spans: 5, scores: 1, kindSources: { genai: 5 }, tracesWithoutInput: 1 });
    for (const trace of traces) expect(traceSchema.safeParse(trace).success).toBe(true);
  });
});

describe('OpenInference on OTLP, as JSON Lines', () => {
  test('spans of one trace spread over lines are grouped; flattened messages and documents rebuilt', async () => {
    const file = join(FIXTURES, 'openinference-rag.jsonl');
    const { traces, report } = await importOtlp(file);
    expect(traces).toHaveLength(1);
    const trace = traces[0]!;
    expect(trace.exampleId).toBe('moons-001');
    expect(trace.input).toBe('Which planet has the most moons?');
    expect(trace.output).toBe('Saturn, with 146 confirmed moons.');
    const byName = Object.fromEntries(trace.spans.map((s) => [s.name, s]));
    expect(byName.RetrievalQA!.attributes).toEqual({ 'session.id': 'session-7', 'user.id': 'user-3' });
    expect(byName.retrieve!.outputs).toEqual([
      { id: 'doc-saturn', content: 'Saturn has 146 confirmed moons.', score: 0.92 },
      { id: 'doc-jupiter', content: 'Jupiter has 95 confirmed moons.', score: 0.81 },
    ]);
    const llm = byName.ChatOpenAI!;
    expect(llm).toMatchObject({
      type: 'LLM',
      model: 'gpt-4o-2024-08-06',
      usage: { input: 412, output: 11, total: 423, cached: 256 },
      cost: { input: 0.00103, output: 0.00011, total: 0.00114 },
      inputs: [
        { role: 'system', content: 'Answer from the context.' },
        { role: 'user', content: 'Which planet has the most moons?' },
      ],
      outputs: [{ role: 'assistant', content: 'Saturn, with 146 confirmed moons.' }],
    });
    // input.value holds the raw request, which is not the messages: it is kept, not dropped.
    expect(llm.attributes).toMatchObject({
      'input.mime_type': 'application/json',
      'llm.provider': 'openai',
      'gen_ai.provider.name': 'openai',
    });
    expect(Object.keys(llm.attributes!).some((key) => key.startsWith('llm.input_messages') || key.startsWith('llm.token_count'))).toBe(
      false,
    );
    expect(byName.moon_count).toMatchObject({
      type: 'TOOL',
      inputs: { planet: 'Saturn' },
      outputs: '146',
      attributes: { 'gen_ai.tool.name': 'moon_count' },
    });
    expect(byName.moon_count!.attributes).not.toHaveProperty('tool.name'); // one vocabulary for the tool name
    expect(byName.format_prompt).toMatchObject({ type: 'UNKNOWN', attributes: { 'openinference.span.kind': 'PROMPT' } });
    expect(byName.mystery_step!.type).toBe('UNKNOWN');
    expect(report.mapped.unknownKinds).toBe(1);
    expect(report.warnings).toEqual([
      { file, line: 2, message: expect.stringContaining('openinference.span.kind "BANANA" is not a kind Labbook knows') },
    ]);
  });
});

describe('attribute values and ids', () => {
  test('every AnyValue wrapper, ids in hex or base64, times as strings or numbers', () => {
    const { traces } = importOtlpRequests([
      request([
        {
          traceId: 'S/kvNXezTaajzpKdDg5HNg==',
          spanId: 'APBnqgupArc=',
          name: 'root',
          startTimeUnixNano: '1700000000000000123',
          endTimeUnixNano: 1700000000500000000,
          attributes: [
            kv('s', { stringValue: 'text' }),
            kv('i', { intValue: '42' }),
            kv('big', { intValue: '9007199254740993' }),
            kv('d', { doubleValue: 0.5 }),
            kv('b', { boolValue: true }),
            kv('a', { arrayValue: { values: [{ stringValue: 'x' }, { intValue: '1' }] } }),
            kv('kv', { kvlistValue: { values: [kv('inner', { boolValue: false })] } }),
            kv('bytes', { bytesValue: 'aGVsbG8=' }),
            kv('empty', {}),
          ],
        },
      ]),
    ]);
    const span = traces[0]!.spans[0]!;
    expect(traces[0]!.id).toBe('4bf92f3577b34da6a3ce929d0e0e4736');
    expect(span.id).toBe('00f067aa0ba902b7');
    expect(span.start).toBeCloseTo(1700000000000.000123, 6);
    expect(span.end).toBe(1700000000500);
    expect(span.attributes).toEqual({
      s: 'text',
      i: 42,
      big: '9007199254740993',
      d: 0.5,
      b: true,
      a: ['x', 1],
      kv: { inner: false },
      bytes: 'aGVsbG8=',
      empty: null,
    });
  });

  test('an attribute named __proto__ is a property, not a prototype', () => {
    const { traces } = importOtlpRequests([
      request([
        {
          traceId: '0af7651916cd43dd8448eb211c80319c',
          spanId: 'b7ad6b7169203331',
          name: 'x',
          startTimeUnixNano: '1',
          endTimeUnixNano: '2',
          attributes: [kv('__proto__', { kvlistValue: { values: [kv('polluted', { boolValue: true })] } })],
        },
      ]),
    ]);
    const attributes = traces[0]!.spans[0]!.attributes!;
    expect(Object.getPrototypeOf(attributes)).toBe(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(attributes, '__proto__')?.value).toEqual({ polluted: true });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  test('snake_case field names are read too', () => {
    const { traces } = importOtlpRequests([
      {
        resource_spans: [
          {
            scope_spans: [
              {
                spans: [
                  {
                    trace_id: '0af7651916cd43dd8448eb211c80319c',
                    span_id: 'b7ad6b7169203331',
                    name: 'x',
                    start_time_unix_nano: '1000000',
                    end_time_unix_nano: '2000000',
                    attributes: [kv('k', { string_value: 'v' })],
                  },
                ],
              },
            ],
          },
        ],
      },
    ]);
    expect(traces[0]!.spans[0]).toMatchObject({ id: 'b7ad6b7169203331', start: 1, end: 2, attributes: { k: 'v' } });
  });
});

describe('requests given in memory', () => {
  test('are read, not changed (only records the importer parsed itself are emptied as they are read)', async () => {
    const given = [JSON.parse(await readFile(join(FIXTURES, 'otlp-genai-chat-tool.json'), 'utf8')) as unknown];
    const copy = structuredClone(given);
    const { traces } = importOtlpRequests(given);
    expect(traces.length).toBeGreaterThan(0);
    expect(given).toEqual(copy);
  });
});

describe('repairs, each counted and warned', () => {
  test('an assembled tree has nothing left for checkSpanTree to find, which the writer relies on (treeChecked)', () => {
    const id = (n: number) => String(n).padStart(16, '0');
    const span = (spanId: number, parent: number | undefined, name: string) => ({
      traceId: '0af7651916cd43dd8448eb211c80319c',
      spanId: id(spanId),
      ...(parent !== undefined ? { parentSpanId: id(parent) } : {}),
      name,
      startTimeUnixNano: String(1e15 + spanId),
      endTimeUnixNano: String(2e15),
    });
    // A root; a duplicate id; an orphan; a cycle of two below nothing.
    const spans = [
      span(1, undefined, 'root'),
      span(2, 1, 'a'),
      span(2, 1, 'a again'),
      span(3, 99, 'orphan'),
      span(4, 5, 'x'),
      span(5, 4, 'y'),
    ];
    const { traces, report } = importOtlpRequests([request(spans)], 'tangle.json');
    expect([report.mapped.duplicateSpanIds, report.mapped.orphanSpans, report.mapped.cyclesBroken]).toEqual([1, 1, 1]);
    expect(checkSpanTree(traces[0]!)).toEqual([]);
  });

  test('circular parent ids are broken', () => {
    const spans = ['a', 'b', 'c'].map((name, i, all) => ({
      traceId: '0af7651916cd43dd8448eb211c80319c',
      spanId: `${i + 1}`.padStart(16, '0'),
      parentSpanId: `${((i + 1) % all.length) + 1}`.padStart(16, '0'),
      name,
      startTimeUnixNano: String(1e15 + i),
      endTimeUnixNano: String(2e15),
    }));
    const { traces, report } = importOtlpRequests([request(spans)], 'cycle.json');
    expect(report.mapped.cyclesBroken).toBe(1);
    expect(report.warnings.some((w) => w.file === 'cycle.json' && /parent ids form a cycle/.test(w.message))).toBe(true);
    expect(checkSpanTree(traces[0]!)).toEqual([]);
    expect(traces[0]!.spans.filter((s) => s.parentId === null)).toHaveLength(1);
  });

  test('a repeated span id is renamed, a missing span id invented, both warned', () => {
    const base = { traceId: '0af7651916cd43dd8448eb211c80319c', startTimeUnixNano: '1', endTimeUnixNano: '2' };
    const { traces, report } = importOtlpRequests([
      request([
        { ...base, spanId: 'b7ad6b7169203331', name: 'one' },
        { ...base, spanId: 'b7ad6b7169203331', name: 'two' },
        { ...base, name: 'three' },
      ]),
    ]);
    expect(traces[0]!.spans.map((s) => s.id)).toEqual(['b7ad6b7169203331', 'b7ad6b7169203331~2', 'missing-span-id-3']);
    expect(report.mapped.duplicateSpanIds).toBe(1);
    expect(report.warnings).toHaveLength(3); // duplicate, missing id, no input
    expect(checkSpanTree(traces[0]!)).toEqual([]);
  });

  test('a span that ends before it starts is kept, its end set to its start, and warned at its file and line', async () => {
    const file = join(dir, 'backwards.jsonl');
    const ok = { traceId: '0af7651916cd43dd8448eb211c80319c', spanId: 'a1a1a1a1a1a1a1a1', name: 'agent' };
    const backwards = {
      traceId: '0af7651916cd43dd8448eb211c80319c',
      spanId: 'b2b2b2b2b2b2b2b2',
      parentSpanId: 'a1a1a1a1a1a1a1a1',
      name: 'tool',
      startTimeUnixNano: '1700000000250000000',
      endTimeUnixNano: '1700000000247500000',
    };
    const lines = [
      request([{ ...ok, startTimeUnixNano: '1700000000000000000', endTimeUnixNano: '1700000000500000000' }]),
      request([backwards]),
    ];
    await writeFile(file, lines.map((line) => JSON.stringify(line)).join('\n') + '\n');
    const { traces, report } = await importOtlp(file);
    const tool = traces[0]!.spans.find((s) => s.name === 'tool')!;
    expect(tool).toMatchObject({ start: 1700000000250, end: 1700000000250 });
    expect(report.mapped.endsBeforeStart).toBe(1);
    expect(report.warnings).toContainEqual({
      file,
      line: 2,
      message: 'trace 0af7651916cd43dd8448eb211c80319c: span b2b2b2b2b2b2b2b2 ends 2.5 ms before it starts; its end was set to its start',
    });
    expect(formatImportReport(report).summary).toContain('repaired: 1 span that ended before starting made instantaneous');
    // The trace is one the schema takes, with the span's times as they now are.
    expect(traceSchema.parse(traces[0])).toEqual(traces[0]);
  });

  test('warnings of one kind are capped, with a count of the rest', () => {
    const spans = Array.from({ length: 50 }, (_, i) => ({
      traceId: '0af7651916cd43dd8448eb211c80319c',
      spanId: (i + 1).toString(16).padStart(16, '0'),
      parentSpanId: 'ffffffffffffffff',
      name: `s${i}`,
      startTimeUnixNano: '1',
      endTimeUnixNano: '2',
    }));
    const { report } = importOtlpRequests([request(spans)]);
    expect(report.mapped.orphanSpans).toBe(50);
    const orphanWarnings = report.warnings.filter((w) => /which is not in the input/.test(w.message));
    expect(orphanWarnings).toHaveLength(20);
    expect(report.warnings.some((w) => w.message === '… and 30 more orphan span warnings')).toBe(true);
  });

  test('10^6 spans in one trace, each the child of the one before: no recursion, no crash', () => {
    const count = 1_000_000;
    const spans = new Array(count);
    for (let i = 0; i < count; i++) {
      spans[i] = {
        traceId: '0af7651916cd43dd8448eb211c80319c',
        spanId: (i + 1).toString(16).padStart(16, '0'),
        parentSpanId: i === 0 ? '' : i.toString(16).padStart(16, '0'),
        name: 'step',
        startTimeUnixNano: String(1e18 + i),
        endTimeUnixNano: String(1e18 + count),
      };
    }
    // Close the chain into a cycle at the bottom, the worst case for a walk up the tree.
    spans[0].parentSpanId = count.toString(16).padStart(16, '0');
    const { traces, report } = importOtlpRequests([request(spans)]);
    expect(traces).toHaveLength(1);
    expect(traces[0]!.spans).toHaveLength(count);
    expect(report.mapped.cyclesBroken).toBe(1);
    expect(traces[0]!.spans.filter((s) => s.parentId === null)).toHaveLength(1);
  });
});

describe('bad input', () => {
  test('an MLflow trace given as OTLP: an error naming the file, with a hint', async () => {
    const file = join(FIXTURES, 'mlflow/trace-v3.json');
    const error = await importOtlp(file).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FileFormatError);
    expect((error as FileFormatError).message).toBe(
      `${file}: not OTLP JSON: expected an object with "resourceSpans" (it looks like an MLflow trace: use --format mlflow)`,
    );
  });

  test('a JSON Lines file with a line that is not OTLP: the error names the line', async () => {
    const file = join(dir, 'mixed.jsonl');
    const good = JSON.stringify(request([]));
    await writeFile(file, `${good}\n${good}\n{"hello":"world"}\n`);
    await expect(importOtlp(file)).rejects.toThrow(`${file}:3: not OTLP JSON: expected an object with "resourceSpans" (found "hello")`);
  });

  test('truncated JSON: an error with the position where it ends', async () => {
    const text = await readFile(join(FIXTURES, 'otlp-genai-chat-tool.json'), 'utf8');
    const file = join(dir, 'truncated.json');
    await writeFile(file, text.slice(0, 2000));
    const error = (await importOtlp(file).catch((e: unknown) => e)) as FileFormatError;
    expect(error).toBeInstanceOf(FileFormatError);
    const lines = text.slice(0, 2000).split('\n');
    expect(error.location).toEqual({ file, line: lines.length, column: lines.at(-1)!.length + 1 });
    expect(error.message).toMatch(/truncated JSON: the input ends before the document does/);
  });

  test('a truncated last line of JSON Lines names that line', async () => {
    const file = join(dir, 'truncated.jsonl');
    const good = JSON.stringify(request([]));
    await writeFile(file, `${good}\n${good.slice(0, 30)}`);
    const error = (await importOtlp(file).catch((e: unknown) => e)) as FileFormatError;
    expect(error.location.line).toBe(2);
    expect(error.message).toMatch(/truncated JSON/);
  });

  test('malformed JSON in the middle of a document: line and column', async () => {
    const file = join(dir, 'malformed.json');
    await writeFile(file, '{\n  "resourceSpans": [\n    oops\n  ]\n}\n');
    const error = (await importOtlp(file).catch((e: unknown) => e)) as FileFormatError;
    expect(error.location).toEqual({ file, line: 3, column: 5 });
    expect(error.message).toMatch(/^.*malformed\.json:3:5: malformed JSON/);
  });

  test('an empty file, and a missing one', async () => {
    const file = join(dir, 'empty.json');
    await writeFile(file, '');
    await expect(importOtlp(file)).rejects.toThrow(`${file}: the file is empty`);
    await expect(importOtlp(join(dir, 'nope.json'))).rejects.toThrow(/file not found/);
  });
});

describe('a folder of files', () => {
  test('reads its .json and .jsonl files in name order and joins traces across them', async () => {
    const folder = join(dir, 'batches');
    await import('node:fs/promises').then((fs) => fs.mkdir(folder));
    const span = (id: string, parent: string) => ({
      traceId: '0af7651916cd43dd8448eb211c80319c',
      spanId: id,
      parentSpanId: parent,
      name: id,
      startTimeUnixNano: '1000000',
      endTimeUnixNano: '2000000',
    });
    await writeFile(join(folder, 'b.jsonl'), `${JSON.stringify(request([span('b7ad6b7169203331', '00f067aa0ba902b7')]))}\n`);
    await writeFile(join(folder, 'a.json'), JSON.stringify(request([span('00f067aa0ba902b7', '')])));
    await writeFile(join(folder, 'notes.txt'), 'ignored');
    const { traces, report } = await importOtlp(folder);
    expect(report.mapped.files).toBe(2);
    expect(traces[0]!.spans.map((s) => [s.id, s.parentId])).toEqual([
      ['00f067aa0ba902b7', null],
      ['b7ad6b7169203331', '00f067aa0ba902b7'],
    ]);
    expect(report.mapped.orphanSpans).toBe(0);
  });
});
