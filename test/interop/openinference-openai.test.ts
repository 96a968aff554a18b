import { describe, expect, test } from 'vitest';
import { traceSchema } from '../../schemas/trace.ts';
import { importOtlpRequests } from '../../src/interop/otlp/import-otlp.ts';
import { chatMessages } from '../../site/view/chat.ts';
import { openInferenceAgentSpans, otlpJsonRequest } from './producers.ts';

/**
 * OpenInference's OpenAI instrumentation around the real `openai` client, talking to a local
 * OpenAI-compatible server on 127.0.0.1: a tool loop under an agent span, its spans serialized
 * by the official OTLP JSON serializer and mapped as the receiver and `labbook import` map them.
 */
describe('OpenInference (openinference-instrumentation-openai with the openai client)', () => {
  test('flattened messages, tool calls with arguments, tool messages, model, tokens, nesting, scores', async () => {
    const spans = await openInferenceAgentSpans();
    const { traces, report } = importOtlpRequests([otlpJsonRequest(spans)]);
    expect(report.warnings).toEqual([]);
    expect(traces).toHaveLength(1);
    const trace = traces[0]!;
    expect(traceSchema.safeParse(trace).success).toBe(true);

    // The root span's numeric `labbook.example.id` is the example "7", as a dataset's `"id": 7` is.
    expect(trace.exampleId).toBe('7');
    expect(trace.input).toBe('What is the weather in Paris?');
    expect(trace.output).toBe('It is 18°C and sunny in Paris.');
    expect(trace.scores).toEqual([
      { name: 'relevance', value: 0.9, label: 'relevant', rationale: 'names the city and the weather', source: 'code' },
    ]);

    const agent = trace.spans.find((span) => span.parentId === null)!;
    expect(agent).toMatchObject({ name: 'weather-agent', type: 'AGENT' });
    expect(agent.events).toBeUndefined(); // the evaluation became the score
    const calls = trace.spans.filter((span) => span.parentId === agent.id).sort((a, b) => a.start - b.start);
    expect(calls.map((span) => [span.name, span.type])).toEqual([
      ['OpenAI Chat Completions', 'LLM'],
      ['OpenAI Chat Completions', 'LLM'],
    ]);
    const [first, second] = calls as [(typeof calls)[0], (typeof calls)[0]];
    for (const call of calls) {
      expect(call.start).toBeGreaterThanOrEqual(agent.start - 1);
      expect(call.end).toBeLessThanOrEqual(agent.end + 1);
      expect(call.model).toBe('gpt-4o-mini-2024-07-18');
      expect(call.attributes).toMatchObject({ 'gen_ai.provider.name': 'openai' });
      for (const key of Object.keys(call.attributes ?? {}))
        expect(key).not.toMatch(/^llm\.(input|output)_messages\.|^llm\.token_count\.|^llm\.model_name$|^openinference\.span\.kind$/);
    }
    expect(first.end).toBeLessThanOrEqual(second.start + 1);
    expect(first.usage).toEqual({ input: 50, output: 15, total: 65 });
    expect(second.usage).toEqual({ input: 80, output: 12, total: 92 });

    const toolCall = { id: 'call_abc', type: 'function', function: { name: 'weather', arguments: { city: 'Paris' } } };
    expect(first.inputs).toEqual([
      { role: 'system', content: 'You are a weather assistant.' },
      { role: 'user', content: 'What is the weather in Paris?' },
    ]);
    expect(first.outputs).toEqual([{ role: 'assistant', content: '', tool_calls: [toolCall] }]);
    expect(second.inputs).toEqual([
      { role: 'system', content: 'You are a weather assistant.' },
      { role: 'user', content: 'What is the weather in Paris?' },
      { role: 'assistant', content: '', tool_calls: [toolCall] },
      { role: 'tool', content: '{"city":"Paris","temperatureC":18}', tool_call_id: 'call_abc' },
    ]);
    expect(second.outputs).toEqual([{ role: 'assistant', content: 'It is 18°C and sunny in Paris.' }]);

    // The site draws every bubble with its content and the call with its arguments.
    const bubbles = chatMessages(second.inputs)!;
    expect(bubbles.map((message) => message.role)).toEqual(['system', 'user', 'assistant', 'tool']);
    expect(bubbles[2]!.toolCalls).toEqual([{ id: 'call_abc', name: 'weather', args: { city: 'Paris' } }]);
    expect(bubbles[3]).toMatchObject({ toolCallId: 'call_abc', text: '{"city":"Paris","temperatureC":18}' });
  });
});
