import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { OpenAIInstrumentation } from '@arizeai/openinference-instrumentation-openai';
import { context } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { JsonTraceSerializer } from '@opentelemetry/otlp-transformer';
import { generateText, stepCountIs, tool } from 'ai';
import { MockLanguageModelV3 } from 'ai/test';
import OpenAI from 'openai';
import { z } from 'zod';

/** The OTLP JSON request the official OTLP/HTTP JSON exporter would send for these spans. */
export function otlpJsonRequest(spans: ReadableSpan[]): unknown {
  return JSON.parse(new TextDecoder().decode(JsonTraceSerializer.serializeRequest(spans)));
}

/** Spans nest only when the active span follows async calls, as the Node SDK sets up. */
let contextReady = false;
export function enableAsyncContext(): void {
  if (contextReady) return;
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  contextReady = true;
}

const usage = (input: number, output: number) => ({
  inputTokens: { total: input, noCache: input, cacheRead: undefined, cacheWrite: undefined },
  outputTokens: { total: output, text: output, reasoning: undefined },
});

/**
 * The Vercel AI SDK's `generateText` with a system prompt, a tool and two steps, against its
 * mock model, recorded by its own OpenTelemetry telemetry into an in-memory exporter.
 */
export async function vercelAgentSpans(): Promise<{ spans: ReadableSpan[]; text: string }> {
  enableAsyncContext();
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
  const tracer = provider.getTracer('ai');
  let step = 0;
  const model = new MockLanguageModelV3({
    provider: 'mock-provider',
    modelId: 'mock-model-1',
    doGenerate: async () => {
      step++;
      if (step === 1) {
        return {
          content: [{ type: 'tool-call', toolCallId: 'call-1', toolName: 'weather', input: JSON.stringify({ city: 'Paris' }) }],
          finishReason: { unified: 'tool-calls', raw: 'tool_calls' },
          usage: usage(42, 9),
          warnings: [],
        };
      }
      return {
        content: [{ type: 'text', text: 'It is 18°C and sunny in Paris.' }],
        finishReason: { unified: 'stop', raw: 'stop' },
        usage: usage(71, 11),
        warnings: [],
      };
    },
  });
  const result = await generateText({
    model,
    system: 'You are a weather assistant.',
    prompt: 'What is the weather in Paris?',
    tools: {
      weather: tool({
        description: 'The weather in a city',
        inputSchema: z.object({ city: z.string() }),
        execute: async ({ city }) => ({ city, temperatureC: 18, conditions: 'sunny' }),
      }),
    },
    stopWhen: stepCountIs(3),
    experimental_telemetry: { isEnabled: true, tracer, functionId: 'weather-agent', metadata: { 'labbook.example_id': 'paris-weather' } },
  });
  await provider.forceFlush();
  return { spans: exporter.getFinishedSpans() as ReadableSpan[], text: result.text };
}

/**
 * A local OpenAI-compatible server on 127.0.0.1: the first chat completion asks for the
 * `weather` tool, the next one (which carries the tool's answer) replies with text.
 */
export async function startMockOpenAi(): Promise<{ baseURL: string; requests: unknown[]; close: () => Promise<void> }> {
  const requests: unknown[] = [];
  const server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    request.on('end', () => {
      const parsed = JSON.parse(body) as { messages: Array<{ role: string }> };
      requests.push(parsed);
      const answered = parsed.messages.some((message) => message.role === 'tool');
      const message = answered
        ? { role: 'assistant', content: 'It is 18°C and sunny in Paris.', refusal: null }
        : {
            role: 'assistant',
            content: null,
            refusal: null,
            tool_calls: [{ id: 'call_abc', type: 'function', function: { name: 'weather', arguments: '{"city":"Paris"}' } }],
          };
      const completion = {
        id: `chatcmpl-${requests.length}`,
        object: 'chat.completion',
        created: 1_764_000_000,
        model: 'gpt-4o-mini-2024-07-18',
        choices: [{ index: 0, message, logprobs: null, finish_reason: answered ? 'stop' : 'tool_calls' }],
        usage: answered
          ? { prompt_tokens: 80, completion_tokens: 12, total_tokens: 92 }
          : { prompt_tokens: 50, completion_tokens: 15, total_tokens: 65 },
      };
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify(completion));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { baseURL: `http://127.0.0.1:${port}/v1`, requests, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

/**
 * The `openai` client instrumented by OpenInference's OpenAI instrumentation, running a tool
 * loop (system prompt, user question, tool call, tool answer, final text) under an agent span.
 */
export async function openInferenceAgentSpans(): Promise<ReadableSpan[]> {
  enableAsyncContext();
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
  const instrumentation = new OpenAIInstrumentation({ tracerProvider: provider });
  instrumentation.manuallyInstrument(OpenAI);
  const server = await startMockOpenAi();
  try {
    const client = new OpenAI({ apiKey: 'test-key', baseURL: server.baseURL, maxRetries: 0 });
    const tracer = provider.getTracer('weather-agent');
    await tracer.startActiveSpan(
      'weather-agent',
      { attributes: { 'openinference.span.kind': 'AGENT', 'labbook.example.id': 7, 'input.value': 'What is the weather in Paris?' } },
      async (agent) => {
        const messages: OpenAI.Chat.ChatCompletionMessageParam[] = [
          { role: 'system', content: 'You are a weather assistant.' },
          { role: 'user', content: 'What is the weather in Paris?' },
        ];
        const tools: OpenAI.Chat.ChatCompletionTool[] = [
          {
            type: 'function',
            function: {
              name: 'weather',
              description: 'The weather in a city',
              parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
            },
          },
        ];
        const first = await client.chat.completions.create({ model: 'gpt-4o-mini', messages, tools });
        const call = first.choices[0]!.message.tool_calls![0]! as OpenAI.Chat.ChatCompletionMessageFunctionToolCall;
        messages.push(first.choices[0]!.message);
        messages.push({ role: 'tool', tool_call_id: call.id, content: JSON.stringify({ city: 'Paris', temperatureC: 18 }) });
        const second = await client.chat.completions.create({ model: 'gpt-4o-mini', messages, tools });
        agent.setAttribute('output.value', second.choices[0]!.message.content ?? '');
        // An inline evaluation, as the GenAI conventions record one: a number and a label.
        agent.addEvent('gen_ai.evaluation.result', {
          'gen_ai.evaluation.name': 'relevance',
          'gen_ai.evaluation.score.value': 0.9,
          'gen_ai.evaluation.score.label': 'relevant',
          'gen_ai.evaluation.explanation': 'names the city and the weather',
        });
        agent.end();
      },
    );
  } finally {
    await server.close();
    instrumentation.disable();
  }
  await provider.forceFlush();
  return exporter.getFinishedSpans() as ReadableSpan[];
}
