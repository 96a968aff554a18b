import { describe, expect, it } from 'vitest';
import { chatMessages } from './chat.ts';
import { previewText, truncate } from './preview.ts';

describe('chatMessages', () => {
  it('reads OpenAI messages with tool calls and tool results', () => {
    const messages = chatMessages({
      messages: [
        { role: 'user', content: 'hi' },
        {
          role: 'assistant',
          content: null,
          tool_calls: [{ id: 'c1', type: 'function', function: { name: 'calc', arguments: '{"x":1}' } }],
        },
        { role: 'tool', tool_call_id: 'c1', content: '2' },
      ],
    });
    expect(messages).toEqual([
      { role: 'user', text: 'hi', toolCalls: [], toolCallId: null, name: null },
      { role: 'assistant', text: '', toolCalls: [{ id: 'c1', name: 'calc', args: { x: 1 } }], toolCallId: null, name: null },
      { role: 'tool', text: '2', toolCalls: [], toolCallId: 'c1', name: null },
    ]);
  });

  it('reads Anthropic content blocks and a system prompt, and choices[0].message', () => {
    const messages = chatMessages({
      system: 'be nice',
      messages: [
        {
          role: 'assistant',
          content: [
            { type: 'text', text: 'ok' },
            { type: 'tool_use', id: 't', name: 'search', input: { q: 'x' } },
          ],
        },
      ],
    });
    expect(messages?.map((m) => [m.role, m.text, m.toolCalls.map((c) => c.name)])).toEqual([
      ['system', 'be nice', []],
      ['assistant', 'ok', ['search']],
    ]);
    expect(chatMessages({ choices: [{ message: { role: 'assistant', content: 'yes' } }] })?.[0]?.text).toBe('yes');
  });

  it('says no to values that are not chat', () => {
    for (const value of [null, 'text', 3, {}, { messages: [] }, [{ content: 'no role' }], { role: 'x' }, [1, 2]])
      expect(chatMessages(value)).toBeNull();
  });
});

describe('previewText', () => {
  it('prefers the last user message, a lone text field, then compact JSON, on one line', () => {
    expect(
      previewText({
        messages: [
          { role: 'user', content: 'first' },
          { role: 'assistant', content: 'x' },
          { role: 'user', content: 'last\n\n  one' },
        ],
      }),
    ).toBe('last one');
    expect(previewText({ question: 'why?' })).toBe('why?');
    expect(previewText({ a: 1, b: [true] })).toBe('{"a":1,"b":[true]}');
    expect(previewText(undefined)).toBe('');
  });

  it('cuts long text with an ellipsis, never inside a surrogate pair', () => {
    expect(previewText('x'.repeat(10_000))).toHaveLength(160);
    const cut = truncate(`${'a'.repeat(8)}😀😀`, 10);
    expect(cut).toBe(`${'a'.repeat(8)}…`);
    expect(truncate('short', 10)).toBe('short');
  });
});
