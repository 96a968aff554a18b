import { describe, expect, test } from 'vitest';
import { fromGenAiMessages, fromVercelMessages, fromVercelPrompt, systemMessageFrom, toGenAiChatMessages } from './messages.ts';
import { readEventMessages } from './semantics/message-events.ts';

const call = { id: 'c1', type: 'function', function: { name: 'search', arguments: { q: 'x' } } };

describe('GenAI parts', () => {
  test('a tool message answering two calls becomes two tool messages, in order', () => {
    const parts = [
      { type: 'tool_call_response', id: 'c1', response: 'one' },
      { type: 'tool_call_response', id: 'c2', response: '{"n":2}' },
    ];
    expect(fromGenAiMessages([{ role: 'tool', parts }])).toEqual([
      { role: 'tool', tool_call_id: 'c1', content: 'one' },
      { role: 'tool', tool_call_id: 'c2', content: { n: 2 } },
    ]);
  });

  test('text beside a tool call stays the content; several text parts join', () => {
    const message = {
      role: 'assistant',
      parts: [
        { type: 'text', content: 'Let me look.' },
        { type: 'text', content: 'One moment.' },
        { type: 'tool_call', id: 'c1', name: 'search', arguments: '{"q":"x"}' },
      ],
    };
    expect(fromGenAiMessages([message])).toEqual([{ role: 'assistant', content: 'Let me look.\nOne moment.', tool_calls: [call] }]);
  });

  test('a message that already has content, or is not a message, is left alone', () => {
    const odd = [{ role: 'user', content: 'hi', parts: [] }, 'text', null];
    expect(fromGenAiMessages(odd)).toEqual(odd);
  });

  test('system instructions: parts, text, or nothing', () => {
    expect(systemMessageFrom('[{"type":"text","content":"Be brief."}]')).toEqual({ role: 'system', content: 'Be brief.' });
    expect(systemMessageFrom('Be brief.')).toEqual({ role: 'system', content: 'Be brief.' });
    expect(systemMessageFrom('[]')).toBeUndefined();
    expect(systemMessageFrom(42)).toBeUndefined();
  });

  test('the exporter shape reads back as the same messages, and refuses what it cannot hold', () => {
    const messages = [
      { role: 'assistant', content: '', tool_calls: [call] },
      { role: 'tool', tool_call_id: 'c1', name: 'search', content: { hits: 3 } },
    ];
    expect(fromGenAiMessages(toGenAiChatMessages(messages))).toEqual(messages);
    expect(toGenAiChatMessages([{ role: 'user', content: 'hi', extra: 1 }])).toBeUndefined();
    expect(toGenAiChatMessages([{ role: 'user', content: [{ type: 'image' }] }])).toBeUndefined();
  });
});

describe('the AI SDK', () => {
  test('v4 tool parts (args, result) read like v5+ (input, output)', () => {
    const messages = [
      { role: 'assistant', content: [{ type: 'tool-call', toolCallId: 'c1', toolName: 'search', args: { q: 'x' } }] },
      { role: 'tool', content: [{ type: 'tool-result', toolCallId: 'c1', toolName: 'search', result: { hits: 3 } }] },
    ];
    expect(fromVercelMessages(messages)).toEqual([
      { role: 'assistant', content: '', tool_calls: [call] },
      { role: 'tool', tool_call_id: 'c1', name: 'search', content: { hits: 3 } },
    ]);
  });

  test('ai.prompt: messages read, a plain prompt kept as written', () => {
    expect(fromVercelPrompt({ system: 's', prompt: 'p' })).toEqual({ system: 's', prompt: 'p' });
    expect(fromVercelPrompt({ system: 's', messages: [{ role: 'user', content: [{ type: 'text', text: 'hi' }] }] })).toEqual({
      system: 's',
      messages: [{ role: 'user', content: 'hi' }],
    });
  });

  test('an image part stays a part beside the text', () => {
    const image = { type: 'image', image: 'data:…' };
    expect(fromVercelMessages([{ role: 'user', content: [{ type: 'text', text: 'what is this?' }, image] }])).toEqual([
      { role: 'user', content: [{ type: 'text', text: 'what is this?' }, image] },
    ]);
  });
});

describe('GenAI message events', () => {
  const at = (name: string, attributes: Record<string, unknown>) => ({ name, time: 0, attributes });

  test('a choice whose message carries tool calls (as a kvlist or as JSON text)', () => {
    const asObject = readEventMessages([
      at('gen_ai.choice', {
        index: 0,
        finish_reason: 'tool_calls',
        message: { tool_calls: [{ id: 'c1', type: 'function', function: { name: 'search', arguments: '{"q":"x"}' } }] },
      }),
    ]);
    expect(asObject.outputs).toEqual([{ role: 'assistant', content: '', tool_calls: [call], finish_reason: 'tool_calls' }]);
    const asText = readEventMessages([
      at('gen_ai.choice', { index: 1, finish_reason: 'stop', message: '{"role":"assistant","content":"done"}' }),
    ]);
    expect(asText.outputs).toEqual([{ role: 'assistant', content: 'done', finish_reason: 'stop', index: 1 }]);
    expect(asObject.problems).toEqual([]);
  });

  test('per-message events win over the oldest prompt event; unknown fields are named', () => {
    const read = readEventMessages([
      at('gen_ai.content.prompt', { 'gen_ai.prompt': '[{"role":"user","content":"old"}]' }),
      at('gen_ai.user.message', { content: 'new', 'gen_ai.system': 'openai', priority: 'high' }),
    ]);
    expect(read.inputs).toEqual([{ role: 'user', content: 'new', priority: 'high' }]);
    expect(read.inputEvents.map((event) => event.name)).toEqual(['gen_ai.user.message']);
    expect(read.problems).toEqual(['gen_ai.user.message event field "priority" is not in the GenAI conventions; kept on the message']);
  });

  test('the oldest events with plain text', () => {
    const read = readEventMessages([
      at('gen_ai.content.prompt', { 'gen_ai.prompt': 'Capital of France?' }),
      at('gen_ai.content.completion', { 'gen_ai.completion': 'Paris.' }),
    ]);
    expect([read.inputs, read.outputs]).toEqual(['Capital of France?', 'Paris.']);
  });
});
