import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { traceSchema, type Trace } from '../../schemas/trace.ts';
import { createAggregator } from '../../src/aggregate/aggregator.ts';
import { chatMessages } from '../../site/view/chat.ts';
import { importOtlp } from '../../src/interop/otlp/read-otlp-files.ts';

const FIXTURE = join(import.meta.dirname, '../fixtures/interop/otlp-genai-variants.json');

/**
 * One trace per generation of the GenAI conventions, hand-made after the specification:
 * semconv ≥ 1.37 attributes (`gen_ai.system_instructions`, `tool_call` and `tool_call_response`
 * parts), 1.27–1.36 per-message events, the oldest `gen_ai.content.*` events, and OpenLLMetry's
 * flattened `gen_ai.prompt.N.*` / `gen_ai.completion.N.*` attributes.
 */
describe('GenAI convention variants', async () => {
  const { traces, report } = await importOtlp(FIXTURE);
  const byId = new Map(traces.map((trace) => [trace.id.slice(0, 2), trace]));
  const distanceCall = { id: 'call_d1', type: 'function', function: { name: 'distance', arguments: { from: 'Paris', to: 'Lyon' } } };

  test('every trace fits the schema; the only warning is the unknown event field', () => {
    expect(traces).toHaveLength(4);
    for (const trace of traces) expect(traceSchema.safeParse(trace).success).toBe(true);
    expect(report.warnings.map((warning) => warning.message)).toEqual([
      'trace b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2: span b200000000000001: gen_ai.tool.message event field "cache_hit" is not in the GenAI conventions; kept on the message',
    ]);
  });

  test('semconv ≥ 1.37: system instructions become the system message, tool parts become calls and tool messages', () => {
    const trace = byId.get('a1')!;
    expect(trace.exampleId).toBe('trip-1');
    const [agent, chat1, tool, chat2] = trace.spans as [Trace['spans'][0], Trace['spans'][0], Trace['spans'][0], Trace['spans'][0]];
    expect(trace.spans.map((span) => [span.type, span.parentId])).toEqual([
      ['AGENT', null],
      ['CHAT_MODEL', agent.id],
      ['TOOL', agent.id],
      ['CHAT_MODEL', agent.id],
    ]);
    expect([chat1.start - trace.start, chat1.end - trace.start, tool.start - trace.start, chat2.end - trace.start]).toEqual([
      10, 400, 410, 880,
    ]);
    expect(chat1).toMatchObject({ model: 'gpt-5-mini-2025-08-07', usage: { input: 120, output: 22, total: 142 } });
    // A list of text parts joins into one system message; plain text is taken as it is.
    expect(chat1.inputs).toEqual([
      { role: 'system', content: 'You are a travel assistant.\nAnswer in one sentence.' },
      { role: 'user', content: 'How far is Lyon from Paris?' },
    ]);
    // A reasoning part is not text: it stays a part beside the tool call.
    expect(chat1.outputs).toEqual([
      {
        role: 'assistant',
        content: [{ type: 'reasoning', content: 'I need the distance tool.' }],
        tool_calls: [distanceCall],
        finish_reason: 'tool_call',
      },
    ]);
    expect(chat1.attributes).not.toHaveProperty('gen_ai.system_instructions');
    expect(chat2.inputs).toEqual([
      { role: 'system', content: 'You are a travel assistant. Answer in one sentence.' },
      { role: 'user', content: 'How far is Lyon from Paris?' },
      { role: 'assistant', content: '', tool_calls: [distanceCall] },
      { role: 'tool', tool_call_id: 'call_d1', content: { km: 465 } },
    ]);
    expect(chat2.outputs).toEqual([{ role: 'assistant', content: 'Lyon is about 465 km from Paris.', finish_reason: 'stop' }]);
    expect(tool).toMatchObject({
      inputs: { from: 'Paris', to: 'Lyon' },
      outputs: { km: 465 },
      attributes: { 'gen_ai.tool.name': 'distance', 'gen_ai.tool.call.id': 'call_d1' },
    });

    // The site draws the assistant's call and the tool's answer with their content.
    const bubbles = chatMessages(chat2.inputs)!;
    expect(bubbles.map((message) => message.role)).toEqual(['system', 'user', 'assistant', 'tool']);
    expect(bubbles[2]!.toolCalls).toEqual([{ id: 'call_d1', name: 'distance', args: { from: 'Paris', to: 'Lyon' } }]);
    expect(bubbles[3]).toMatchObject({ toolCallId: 'call_d1', text: '{"km":465}' });
    expect(chatMessages(chat1.outputs)![0]!.text).toBe('I need the distance tool.');

    // A numeric score and its label are both kept.
    expect(trace.scores).toEqual([
      { name: 'helpfulness', value: 4, label: 'good', rationale: "answers with the tool's figure", source: 'code' },
    ]);
    const aggregator = createAggregator();
    aggregator.add(trace);
    expect(Object.keys(aggregator.result().byTool)).toEqual(['distance']);
  });

  test('semconv 1.27–1.36 message events: the assistant keeps its tool calls, the tool message its id', () => {
    const trace = byId.get('b2')!;
    const chat = trace.spans[0]!;
    // A numeric `labbook.example_id` is the same example as its text.
    expect(trace.exampleId).toBe('12');
    expect(chat).toMatchObject({ type: 'CHAT_MODEL', model: 'gpt-4o', usage: { input: 90, output: 20, total: 110 } });
    expect(chat.inputs).toEqual([
      { role: 'system', content: 'You are a travel assistant.' },
      { role: 'user', content: 'How far is Lyon from Paris?' },
      { role: 'assistant', content: '', tool_calls: [distanceCall] },
      // The field no convention defines stays on the message (and was warned about).
      { role: 'tool', content: { km: 465 }, tool_call_id: 'call_d1', cache_hit: true },
    ]);
    expect(chat.outputs).toEqual([{ role: 'assistant', content: 'Lyon is about 465 km from Paris.', finish_reason: 'stop' }]);
    expect(chat.events).toBeUndefined(); // every event became a message
    expect(trace.input).toEqual(chat.inputs);
    const bubbles = chatMessages(chat.inputs)!;
    expect(bubbles[2]!.toolCalls).toEqual([{ id: 'call_d1', name: 'distance', args: { from: 'Paris', to: 'Lyon' } }]);
    expect(bubbles[3]!.toolCallId).toBe('call_d1');
  });

  test('the oldest gen_ai.content.prompt and .completion events are the inputs and outputs', () => {
    const trace = byId.get('c3')!;
    const chat = trace.spans[0]!;
    expect(chat).toMatchObject({ type: 'CHAT_MODEL', model: 'gpt-3.5-turbo-0125', usage: { input: 30, output: 9, total: 39 } });
    expect(chat.inputs).toEqual([
      { role: 'system', content: 'You are terse.' },
      { role: 'user', content: 'Capital of France?' },
    ]);
    expect(chat.outputs).toEqual([{ role: 'assistant', content: 'Paris.' }]);
    expect(chat.events).toBeUndefined();
    expect(trace.input).toEqual(chat.inputs);
    expect(trace.output).toEqual(chat.outputs);
  });

  test("OpenLLMetry's flattened gen_ai.prompt.N / gen_ai.completion.N messages, typed by llm.request.type", () => {
    const trace = byId.get('d4')!;
    const chat = trace.spans[0]!;
    expect(chat).toMatchObject({ type: 'CHAT_MODEL', model: 'gpt-4o-2024-08-06', usage: { input: 88, output: 17, total: 105 } });
    expect(chat.inputs).toEqual([
      { role: 'system', content: 'You are a travel assistant.' },
      { role: 'user', content: 'How far is Lyon from Paris?' },
      { role: 'assistant', content: '', tool_calls: [distanceCall] },
      { role: 'tool', content: '{"km":465}', tool_call_id: 'call_d1' },
    ]);
    expect(chat.outputs).toEqual([{ role: 'assistant', content: 'Lyon is about 465 km from Paris.', finish_reason: 'stop' }]);
    expect(
      Object.keys(chat.attributes ?? {}).filter((key) => key.startsWith('gen_ai.prompt') || key.startsWith('gen_ai.completion')),
    ).toEqual([]);
    expect(chat.attributes).toMatchObject({ 'llm.request.type': 'chat' }); // the kind stays, as the AI SDK's does
  });
});
