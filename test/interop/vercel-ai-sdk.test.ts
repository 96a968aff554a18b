import { describe, expect, test } from 'vitest';
import { traceSchema, type Trace } from '../../schemas/trace.ts';
import { createAggregator } from '../../src/aggregate/aggregator.ts';
import { chatMessages } from '../../site/view/chat.ts';
import { LabbookSpanExporter } from '../../src/interop/otel-span-exporter.ts';
import { tracesToOtlpRequest } from '../../src/interop/otlp/export.ts';
import { importOtlpRequests } from '../../src/interop/otlp/import-otlp.ts';
import { otlpJsonRequest, vercelAgentSpans } from './producers.ts';

/**
 * The Vercel AI SDK (the `ai` package, current major) runs a two-step tool-using agent on its
 * mock model with its own OpenTelemetry telemetry; the spans the OpenTelemetry SDK finished
 * are mapped the way the OTLP receiver and `labbook import` map them (the official JSON
 * serializer's request) and the way the SDK's `labbookSpanExporter` does.
 */
async function viaOtlp(): Promise<{ trace: Trace; warnings: unknown[]; text: string }> {
  const { spans, text } = await vercelAgentSpans();
  const { traces, report } = importOtlpRequests([otlpJsonRequest(spans)]);
  expect(traces).toHaveLength(1);
  return { trace: traces[0]!, warnings: report.warnings, text };
}

async function viaExporter(): Promise<{ trace: Trace; warnings: unknown[] }> {
  const { spans } = await vercelAgentSpans();
  const traces: Trace[] = [];
  const warnings: unknown[] = [];
  const exporter = new LabbookSpanExporter({
    onTrace: (trace) => void traces.push(trace),
    onWarning: (warning) => void warnings.push(warning),
  });
  await new Promise<void>((resolve) => exporter.export(spans as never, () => resolve()));
  await exporter.shutdown();
  expect(traces).toHaveLength(1);
  return { trace: traces[0]!, warnings };
}

function checkAgentTrace(trace: Trace): void {
  expect(traceSchema.safeParse(trace).success).toBe(true);
  // The example id set in experimental_telemetry's metadata ties the trace to its example.
  expect(trace.exampleId).toBe('paris-weather');
  expect(trace.input).toEqual({ system: 'You are a weather assistant.', prompt: 'What is the weather in Paris?' });
  expect(trace.output).toBe('It is 18°C and sunny in Paris.');

  // Found by what they are: the SDK's millisecond-anchored clock can order equal starts either way.
  expect(trace.spans.map((span) => [span.name, span.type]).sort()).toEqual([
    ['ai.generateText', 'CHAIN'],
    ['ai.generateText.doGenerate', 'LLM'],
    ['ai.generateText.doGenerate', 'LLM'],
    ['ai.toolCall', 'TOOL'],
  ]);
  const root = trace.spans.find((span) => span.type === 'CHAIN')!;
  const tool = trace.spans.find((span) => span.type === 'TOOL')!;
  const step1 = trace.spans.find((span) => span.type === 'LLM' && span.attributes?.['ai.response.finishReason'] === 'tool-calls')!;
  const step2 = trace.spans.find((span) => span.type === 'LLM' && span.attributes?.['ai.response.finishReason'] === 'stop')!;
  // Nesting: the steps and the tool call are children of the outer call.
  expect(root.parentId).toBeNull();
  for (const child of [step1, tool, step2]) expect(child.parentId).toBe(root.id);
  // Timings: every child inside its parent, the steps in order around the tool call. The
  // OpenTelemetry SDK anchors each span's start to a millisecond timestamp: allow that rounding.
  for (const child of [step1, tool, step2]) {
    expect(child.start).toBeGreaterThanOrEqual(root.start - 1);
    expect(child.end).toBeLessThanOrEqual(root.end + 1);
    expect(child.end).toBeGreaterThanOrEqual(child.start);
  }
  expect(step1.end).toBeLessThanOrEqual(tool.start + 1);
  expect(tool.end).toBeLessThanOrEqual(step2.start + 1);
  expect(step1.start).toBeLessThanOrEqual(tool.start + 1);
  expect(tool.start).toBeLessThanOrEqual(step2.start + 1);
  // The trace spans its spans (a child may start a rounding before its parent).
  expect(trace.start).toBe(Math.min(...trace.spans.map((span) => span.start)));
  expect(trace.end).toBe(Math.max(...trace.spans.map((span) => span.end)));
  expect(trace.durationMs).toBeCloseTo(trace.end - trace.start, 6);
  expect(trace.durationMs).toBeGreaterThanOrEqual(root.end - root.start);

  // Model and tokens (the newer inputTokens/outputTokens names) on the model calls only.
  expect(step1).toMatchObject({ model: 'mock-model-1', usage: { input: 42, output: 9, total: 51 } });
  expect(step2).toMatchObject({ model: 'mock-model-1', usage: { input: 71, output: 11, total: 82 } });
  expect(root.usage).toBeUndefined();
  expect(root.attributes).toMatchObject({ 'ai.usage.inputTokens': 113, 'ai.usage.outputTokens': 20 });

  // Step 1: the system prompt as the system message; its tool call, with arguments, as the output.
  const call = { id: 'call-1', type: 'function', function: { name: 'weather', arguments: { city: 'Paris' } } };
  expect(step1.inputs).toEqual([
    { role: 'system', content: 'You are a weather assistant.' },
    { role: 'user', content: 'What is the weather in Paris?' },
  ]);
  expect(step1.outputs).toEqual([{ role: 'assistant', content: '', tool_calls: [call] }]);
  // Step 2: the conversation so far, with the assistant's call and the tool's answer to it.
  expect(step2.inputs).toEqual([
    { role: 'system', content: 'You are a weather assistant.' },
    { role: 'user', content: 'What is the weather in Paris?' },
    { role: 'assistant', content: '', tool_calls: [call] },
    { role: 'tool', tool_call_id: 'call-1', name: 'weather', content: { city: 'Paris', temperatureC: 18, conditions: 'sunny' } },
  ]);
  expect(step2.outputs).toBe('It is 18°C and sunny in Paris.');
  for (const key of ['ai.prompt.messages', 'ai.response.toolCalls', 'ai.response.text', 'ai.model.id'])
    expect(step1.attributes ?? {}).not.toHaveProperty(key);

  // The tool call: name and id under the GenAI keys, arguments and result as values.
  expect(tool).toMatchObject({ inputs: { city: 'Paris' }, outputs: { city: 'Paris', temperatureC: 18, conditions: 'sunny' } });
  expect(tool.attributes).toMatchObject({ 'gen_ai.tool.name': 'weather', 'gen_ai.tool.call.id': 'call-1' });
  expect(tool.attributes).not.toHaveProperty('ai.toolCall.name');

  // What the site draws from it: every bubble has its content, the tool call its arguments.
  const bubbles = chatMessages(step2.inputs)!;
  expect(bubbles.map((m) => [m.role, m.text !== '' || m.toolCalls.length > 0])).toEqual([
    ['system', true],
    ['user', true],
    ['assistant', true],
    ['tool', true],
  ]);
  expect(bubbles[2]!.toolCalls).toEqual([{ id: 'call-1', name: 'weather', args: { city: 'Paris' } }]);
  expect(bubbles[3]).toMatchObject({ toolCallId: 'call-1', name: 'weather' });
  expect(JSON.parse(bubbles[3]!.text)).toEqual({ city: 'Paris', temperatureC: 18, conditions: 'sunny' });

  // Tool figures (metrics.json, `labbook query --by tool`) count the tool by its name.
  const aggregator = createAggregator();
  aggregator.add(trace);
  const metrics = aggregator.result();
  expect(Object.keys(metrics.byTool)).toEqual(['weather']);
  expect(metrics.tokens.total).toBe(51 + 82);
}

describe('the Vercel AI SDK (ai, mock model, experimental_telemetry)', () => {
  test('as OTLP JSON through the importer: types, model, tokens, messages, tool calls, nesting, timings', async () => {
    const { trace, warnings, text } = await viaOtlp();
    expect(text).toBe('It is 18°C and sunny in Paris.');
    checkAgentTrace(trace);
    expect(warnings).toEqual([]);
  });

  test('through the SDK exporter (labbookSpanExporter), the same trace', async () => {
    const { trace, warnings } = await viaExporter();
    checkAgentTrace(trace);
    expect(warnings).toEqual([]);
  });
});

describe('exporting the AI SDK trace again (labbook export otlp)', () => {
  test('tool calls and tool results travel as GenAI parts and OpenInference messages, and come back the same', async () => {
    const { trace } = await viaOtlp();
    const request = tracesToOtlpRequest([trace]) as {
      resourceSpans: Array<{
        scopeSpans: Array<{ spans: Array<{ name: string; attributes: Array<{ key: string; value: { stringValue?: string } }> }> }>;
      }>;
    };
    const spans = request.resourceSpans.flatMap((resource) => resource.scopeSpans.flatMap((scope) => scope.spans));
    const step2 = spans.find(
      (span) =>
        span.attributes.some((attribute) => attribute.key === 'labbook.span.type') &&
        span.attributes.some((a) => a.key === 'ai.response.finishReason' && a.value.stringValue === 'stop'),
    )!;
    const attribute = (key: string) => step2.attributes.find((a) => a.key === key)?.value.stringValue;
    expect(JSON.parse(attribute('gen_ai.input.messages')!)).toEqual([
      { role: 'system', parts: [{ type: 'text', content: 'You are a weather assistant.' }] },
      { role: 'user', parts: [{ type: 'text', content: 'What is the weather in Paris?' }] },
      { role: 'assistant', parts: [{ type: 'tool_call', id: 'call-1', name: 'weather', arguments: { city: 'Paris' } }] },
      {
        role: 'tool',
        name: 'weather',
        parts: [{ type: 'tool_call_response', id: 'call-1', response: { city: 'Paris', temperatureC: 18, conditions: 'sunny' } }],
      },
    ]);
    expect(attribute('llm.input_messages.2.message.tool_calls.0.tool_call.function.name')).toBe('weather');
    expect(attribute('llm.input_messages.2.message.tool_calls.0.tool_call.function.arguments')).toBe('{"city":"Paris"}');

    const { traces, report } = importOtlpRequests([request]);
    expect(report.warnings).toEqual([]);
    const byId = new Map(traces[0]!.spans.map((span) => [span.id, span]));
    for (const span of trace.spans) {
      expect(byId.get(span.id)!.inputs).toEqual(span.inputs);
      expect(byId.get(span.id)!.outputs).toEqual(span.outputs);
    }
  });
});
