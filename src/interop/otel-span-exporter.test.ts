import { describe, expect, test } from 'vitest';
import { traceSchema, type Trace } from '../../schemas/trace.ts';
import type { ImportWarning } from './import-report.ts';
import { LabbookSpanExporter, type HrTime, type ReadableSpanLike, type SpanContextLike } from './otel-span-exporter.ts';

/**
 * A finished span shaped as `@opentelemetry/sdk-trace-base` builds one: `spanContext()` is a
 * method, times are `HrTime`, and the parent is `parentSpanId` (SDK 1.x) or
 * `parentSpanContext` (SDK 2.x).
 */
class FinishedSpan implements ReadableSpanLike {
  readonly kind: number;
  readonly startTime: HrTime;
  readonly endTime: HrTime;
  readonly duration: HrTime;
  readonly ended = true;
  readonly status: { code: number; message?: string };
  readonly events: Array<{ name: string; time: HrTime; attributes?: Record<string, unknown>; droppedAttributesCount: number }>;
  readonly links: [] = [];
  readonly resource = {
    attributes: { 'service.name': 'weather-app', 'telemetry.sdk.language': 'nodejs', 'telemetry.sdk.name': 'opentelemetry' },
  };
  readonly instrumentationScope = { name: 'ai', version: undefined };
  readonly droppedAttributesCount = 0;
  readonly droppedEventsCount = 0;
  readonly droppedLinksCount = 0;
  parentSpanId?: string;
  parentSpanContext?: SpanContextLike;
  readonly #context: SpanContextLike;

  constructor(
    readonly name: string,
    context: { traceId: string; spanId: string; parent?: string; sdk?: 1 | 2; remoteParent?: boolean },
    startMs: number,
    endMs: number,
    readonly attributes: Record<string, unknown>,
    options: {
      kind?: number;
      status?: { code: number; message?: string };
      events?: Array<{ name: string; atMs: number; attributes?: Record<string, unknown> }>;
    } = {},
  ) {
    this.#context = { traceId: context.traceId, spanId: context.spanId, traceFlags: 1 };
    if (context.parent) {
      if (context.sdk === 2)
        this.parentSpanContext = {
          traceId: context.traceId,
          spanId: context.parent,
          traceFlags: 1,
          isRemote: context.remoteParent ?? false,
        };
      else this.parentSpanId = context.parent;
    }
    this.kind = options.kind ?? 0;
    this.startTime = hr(startMs);
    this.endTime = hr(endMs);
    this.duration = hr(endMs - startMs);
    this.status = options.status ?? { code: 0 };
    this.events = (options.events ?? []).map((event) => ({
      name: event.name,
      time: hr(event.atMs),
      attributes: event.attributes,
      droppedAttributesCount: 0,
    }));
  }

  spanContext(): SpanContextLike {
    return this.#context;
  }
}

function hr(ms: number): HrTime {
  const seconds = Math.floor(ms / 1000);
  return [seconds, Math.round((ms - seconds * 1000) * 1e6)];
}

const TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
const T = 1_750_000_000_000;

/** What the Vercel AI SDK records for `generateText` with one tool call (ai 4.x attribute names). */
function vercelGenerateTextSpans(sdk: 1 | 2): FinishedSpan[] {
  const prompt = JSON.stringify({ prompt: 'What is the weather in San Francisco?' });
  const step1Messages = JSON.stringify([{ role: 'user', content: [{ type: 'text', text: 'What is the weather in San Francisco?' }] }]);
  const toolCalls = JSON.stringify([
    { toolCallType: 'function', toolCallId: 'call_1', toolName: 'weather', args: '{"location":"San Francisco"}' },
  ]);
  const common = {
    'ai.model.provider': 'openai.chat',
    'ai.model.id': 'gpt-4o',
    'ai.telemetry.functionId': 'weather-agent',
    'ai.telemetry.metadata.userId': 'u-7',
    'resource.name': 'weather-agent',
    'ai.settings.maxRetries': 2,
  };
  const doGenerate = (spanId: string, start: number, end: number, extra: Record<string, unknown>) =>
    new FinishedSpan(
      'ai.generateText.doGenerate',
      { traceId: TRACE, spanId, parent: '00f067aa0ba902b7', sdk },
      start,
      end,
      {
        'operation.name': 'ai.generateText.doGenerate weather-agent',
        'ai.operationId': 'ai.generateText.doGenerate',
        ...common,
        'ai.prompt.format': 'messages',
        'gen_ai.system': 'openai.chat',
        'gen_ai.request.model': 'gpt-4o',
        'gen_ai.response.model': 'gpt-4o-2024-08-06',
        'ai.response.model': 'gpt-4o-2024-08-06',
        ...extra,
      },
      { kind: 2 },
    );
  // Children end first, so the SDK's processors export them first; the root comes last.
  return [
    doGenerate('b7ad6b7169203331', T + 5, T + 700, {
      'ai.prompt.messages': step1Messages,
      'ai.prompt.tools': [JSON.stringify({ type: 'function', name: 'weather', parameters: { type: 'object' } })],
      'ai.response.finishReason': 'tool-calls',
      'ai.response.toolCalls': toolCalls,
      'gen_ai.response.finish_reasons': ['tool-calls'],
      'ai.usage.promptTokens': 60,
      'ai.usage.completionTokens': 16,
      'gen_ai.usage.input_tokens': 60,
      'gen_ai.usage.output_tokens': 16,
    }),
    new FinishedSpan('ai.toolCall', { traceId: TRACE, spanId: 'e457b5a2e4d86bd1', parent: '00f067aa0ba902b7', sdk }, T + 705, T + 760, {
      'operation.name': 'ai.toolCall weather-agent',
      'ai.operationId': 'ai.toolCall',
      'ai.toolCall.name': 'weather',
      'ai.toolCall.id': 'call_1',
      'ai.toolCall.args': '{"location":"San Francisco"}',
      'ai.toolCall.result': '{"location":"San Francisco","temperature":72}',
    }),
    doGenerate('6e0c63257de34c92', T + 765, T + 1400, {
      'ai.prompt.messages': step1Messages,
      'ai.response.finishReason': 'stop',
      'ai.response.text': 'It is 72°F in San Francisco.',
      'gen_ai.response.finish_reasons': ['stop'],
      'ai.usage.promptTokens': 110,
      'ai.usage.completionTokens': 12,
      'gen_ai.usage.input_tokens': 110,
      'gen_ai.usage.output_tokens': 12,
    }),
    new FinishedSpan('ai.generateText', { traceId: TRACE, spanId: '00f067aa0ba902b7', sdk }, T, T + 1410, {
      'operation.name': 'ai.generateText weather-agent',
      'ai.operationId': 'ai.generateText',
      ...common,
      'ai.prompt': prompt,
      'ai.response.finishReason': 'stop',
      'ai.response.text': 'It is 72°F in San Francisco.',
      'ai.usage.promptTokens': 170,
      'ai.usage.completionTokens': 28,
      'labbook.example_id': 'weather-sf',
    }),
  ];
}

function collect(options: { rememberTraces?: number } = {}) {
  const traces: Trace[] = [];
  const warnings: ImportWarning[] = [];
  const exporter = new LabbookSpanExporter({
    onTrace: (trace) => void traces.push(trace),
    onWarning: (warning) => void warnings.push(warning),
    ...options,
  });
  const exportBatch = (spans: ReadableSpanLike[]) =>
    new Promise<{ code: number; error?: Error }>((resolve) => exporter.export(spans, resolve));
  return { exporter, traces, warnings, exportBatch };
}

describe('LabbookSpanExporter', () => {
  test.each([1, 2] as const)('the Vercel AI SDK generateText with a tool call, OpenTelemetry SDK %i.x spans', async (sdk) => {
    const { traces, warnings, exportBatch } = collect();
    const spans = vercelGenerateTextSpans(sdk);
    expect(await exportBatch(spans.slice(0, 2))).toEqual({ code: 0 });
    expect(traces).toHaveLength(0); // the root has not ended yet
    expect(await exportBatch(spans.slice(2))).toEqual({ code: 0 });
    expect(traces).toHaveLength(1);
    const trace = traces[0]!;
    expect(traceSchema.safeParse(trace).success).toBe(true);
    expect(trace).toMatchObject({
      id: TRACE,
      exampleId: 'weather-sf',
      input: { prompt: 'What is the weather in San Francisco?' },
      output: 'It is 72°F in San Francisco.',
      status: 'ok',
      start: T,
      end: T + 1410,
      metadata: { 'service.name': 'weather-app' },
    });
    expect(trace.spans.map((s) => [s.name, s.type, s.parentId])).toEqual([
      ['ai.generateText.doGenerate', 'LLM', '00f067aa0ba902b7'],
      ['ai.toolCall', 'TOOL', '00f067aa0ba902b7'],
      ['ai.generateText.doGenerate', 'LLM', '00f067aa0ba902b7'],
      ['ai.generateText', 'CHAIN', null],
    ]);
    const [step1, tool, step2, root] = trace.spans as [Trace['spans'][0], Trace['spans'][0], Trace['spans'][0], Trace['spans'][0]];
    expect(step1).toMatchObject({
      model: 'gpt-4o-2024-08-06',
      usage: { input: 60, output: 16, total: 76 },
      inputs: [{ role: 'user', content: 'What is the weather in San Francisco?' }],
      // The step's tool calls as an assistant message the site draws, arguments parsed.
      outputs: [
        {
          role: 'assistant',
          content: '',
          tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'weather', arguments: { location: 'San Francisco' } } }],
        },
      ],
    });
    // Both the GenAI and the AI SDK token counts said the same: neither is left as an attribute.
    expect(Object.keys(step1.attributes!).filter((key) => key.includes('usage'))).toEqual([]);
    expect(step2).toMatchObject({ outputs: 'It is 72°F in San Francisco.', usage: { input: 110, output: 12, total: 122 } });
    expect(tool).toMatchObject({
      inputs: { location: 'San Francisco' },
      outputs: { location: 'San Francisco', temperature: 72 },
      attributes: { 'gen_ai.tool.name': 'weather', 'gen_ai.tool.call.id': 'call_1' },
    });
    // The outer call repeats the sum of its steps: kept as attributes, not counted twice.
    expect(root.usage).toBeUndefined();
    expect(root.attributes).toMatchObject({ 'ai.usage.promptTokens': 170, 'ai.usage.completionTokens': 28 });
    expect(warnings).toEqual([]);
  });

  test('a root whose parent is remote (propagated from another service) completes its trace', async () => {
    const { traces, exportBatch } = collect();
    const span = new FinishedSpan(
      'handle',
      { traceId: TRACE, spanId: '00f067aa0ba902b7', parent: 'ffffffffffffffff', sdk: 2, remoteParent: true },
      T,
      T + 1,
      { 'openinference.span.kind': 'CHAIN', 'input.value': 'hi' },
    );
    await exportBatch([span]);
    expect(traces).toHaveLength(1);
    expect(traces[0]!.spans[0]!.attributes).toMatchObject({ 'otel.parent_span_id': 'ffffffffffffffff' });
  });

  test('a span that ends before it starts is kept with its end set to its start, and reported', async () => {
    const { traces, warnings, exportBatch } = collect();
    await exportBatch([
      new FinishedSpan('step', { traceId: TRACE, spanId: 'b7ad6b7169203331', parent: '00f067aa0ba902b7' }, T + 3, T + 2, {}),
      new FinishedSpan('root', { traceId: TRACE, spanId: '00f067aa0ba902b7' }, T, T + 5, { 'input.value': 'q' }),
    ]);
    expect(traces[0]!.spans.find((s) => s.name === 'step')).toMatchObject({ start: T + 3, end: T + 3 });
    expect(warnings.map((w) => w.message)).toEqual([
      `trace ${TRACE}: span b7ad6b7169203331 ends 1 ms before it starts; its end was set to its start`,
    ]);
    expect(traceSchema.safeParse(traces[0]).success).toBe(true);
  });

  test('errors, exception events, GenAI evaluation events and span kinds', async () => {
    const { traces, exportBatch } = collect();
    await exportBatch([
      new FinishedSpan(
        'chat gpt-4o',
        { traceId: TRACE, spanId: 'b7ad6b7169203331', parent: '00f067aa0ba902b7' },
        T + 1,
        T + 2,
        { 'gen_ai.operation.name': 'chat', 'gen_ai.request.model': 'gpt-4o' },
        {
          kind: 2,
          status: { code: 2 },
          events: [{ name: 'exception', atMs: T + 2, attributes: { 'exception.type': 'APIError', 'exception.message': 'overloaded' } }],
        },
      ),
      new FinishedSpan(
        'invoke_agent',
        { traceId: TRACE, spanId: '00f067aa0ba902b7' },
        T,
        T + 3,
        { 'gen_ai.operation.name': 'invoke_agent', 'input.value': 'hello' },
        {
          kind: 1,
          status: { code: 2, message: 'the model failed' },
          events: [
            {
              name: 'gen_ai.evaluation.result',
              atMs: T + 3,
              attributes: {
                'gen_ai.evaluation.name': 'groundedness',
                'gen_ai.evaluation.score.value': 0.2,
                'gen_ai.evaluation.explanation': 'No sources.',
              },
            },
          ],
        },
      ),
    ]);
    const trace = traces[0]!;
    expect(trace).toMatchObject({
      status: 'error',
      error: 'the model failed',
      scores: [{ name: 'groundedness', value: 0.2, rationale: 'No sources.', source: 'code' }],
    });
    expect(trace.spans[0]).toMatchObject({
      status: 'error',
      error: 'APIError: overloaded',
      type: 'CHAT_MODEL',
      model: 'gpt-4o',
      attributes: { 'otel.span.kind': 'CLIENT' },
    });
    expect(trace.spans[1]!.attributes).toEqual({ 'otel.span.kind': 'SERVER' });
  });

  test('a span that ends after its trace was handed over is reported, and forceFlush hands over rootless traces', async () => {
    const { exporter, traces, warnings, exportBatch } = collect();
    await exportBatch([new FinishedSpan('root', { traceId: TRACE, spanId: '00f067aa0ba902b7' }, T, T + 1, { 'input.value': 'q' })]);
    await exportBatch([new FinishedSpan('late', { traceId: TRACE, spanId: 'b7ad6b7169203331', parent: '00f067aa0ba902b7' }, T, T + 5, {})]);
    expect(warnings.map((w) => w.message)).toEqual([
      `span b7ad6b7169203331 ("late") of trace ${TRACE} ended after its trace was handed over; it is not in the trace`,
    ]);

    const other = '0af7651916cd43dd8448eb211c80319c';
    await exportBatch([
      new FinishedSpan('child', { traceId: other, spanId: 'e457b5a2e4d86bd1', parent: '3e0c1b7a9f8d2c11' }, T, T + 1, {
        'input.value': 'x',
      }),
    ]);
    expect(traces).toHaveLength(1);
    await exporter.forceFlush();
    expect(traces.map((t) => t.id)).toEqual([TRACE, other]);
    expect(warnings.some((w) => w.message.includes(`trace ${other} was handed over without its root span`))).toBe(true);
    expect(warnings.some((w) => /names parent 3e0c1b7a9f8d2c11, which is not in the input/.test(w.message))).toBe(true);
  });

  test('an onTrace that fails makes the export fail; after shutdown exports are refused', async () => {
    const exporter = new LabbookSpanExporter({
      onTrace: async () => {
        throw new Error('disk full');
      },
    });
    const result = await new Promise<{ code: number; error?: Error }>((resolve) =>
      exporter.export([new FinishedSpan('root', { traceId: TRACE, spanId: '00f067aa0ba902b7' }, T, T + 1, {})], resolve),
    );
    expect(result.code).toBe(1);
    expect(result.error?.message).toBe('disk full');
    await exporter.shutdown();
    const refused = await new Promise<{ code: number; error?: Error }>((resolve) => exporter.export([], resolve));
    expect(refused).toMatchObject({ code: 1 });
  });
});
