import { context } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { JsonTraceSerializer } from '@opentelemetry/otlp-transformer';
import { generateText, stepCountIs, tool } from 'ai';
import { MockLanguageModelV3 } from 'ai/test';
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

const usage = (input: number, output: number) => ({ inputTokens: { total: input, noCache: input, cacheRead: undefined, cacheWrite: undefined }, outputTokens: { total: output, text: output, reasoning: undefined } });

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
      return { content: [{ type: 'text', text: 'It is 18°C and sunny in Paris.' }], finishReason: { unified: 'stop', raw: 'stop' }, usage: usage(71, 11), warnings: [] };
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
