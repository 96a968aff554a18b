import { expect, test } from 'vitest';
import { flattenToPrefix, unflattenPrefix } from './unflatten.ts';

test('rebuilds arrays and objects from dotted keys, closing holes', () => {
  const attributes = {
    'llm.input_messages.0.message.role': 'user',
    'llm.input_messages.0.message.content': 'hi',
    'llm.input_messages.2.message.role': 'assistant',
    'llm.input_messages.2.message.tool_calls.0.tool_call.function.name': 'search',
    'llm.model_name': 'gpt-4o',
  };
  expect(unflattenPrefix(attributes, 'llm.input_messages')).toEqual({
    value: [
      { message: { role: 'user', content: 'hi' } },
      { message: { role: 'assistant', tool_calls: [{ tool_call: { function: { name: 'search' } } }] } },
    ],
    keys: [
      'llm.input_messages.0.message.role',
      'llm.input_messages.0.message.content',
      'llm.input_messages.2.message.role',
      'llm.input_messages.2.message.tool_calls.0.tool_call.function.name',
    ],
  });
});

test.each<[Record<string, unknown>, string]>([
  [{ 'p.0.a': 1, 'p.0.a.b': 2 }, 'a leaf that is also a parent'],
  [{ 'p.0': 1, 'p.x': 2 }, 'an index beside a name'],
  [{ 'p.__proto__.polluted': true }, '__proto__'],
  [{ 'p..a': 1 }, 'an empty segment'],
  [{ other: 1 }, 'no key with the prefix'],
])('gives up on %j (%s): the attributes are kept as they are', (attributes) => {
  expect(unflattenPrefix(attributes, 'p')).toBeUndefined();
  expect(({} as Record<string, unknown>).polluted).toBeUndefined();
});

test('flattenToPrefix is its inverse', () => {
  const value = [{ message: { role: 'user', content: 'hi', parts: [1, 2] } }];
  const flat = flattenToPrefix('llm.input_messages', value);
  expect(flat).toEqual({
    'llm.input_messages.0.message.role': 'user',
    'llm.input_messages.0.message.content': 'hi',
    'llm.input_messages.0.message.parts.0': 1,
    'llm.input_messages.0.message.parts.1': 2,
  });
  expect(unflattenPrefix(flat, 'llm.input_messages')?.value).toEqual(value);
});

test('keeps hostile keys flat: an index or a nesting past the value bounds, in no time', () => {
  const started = performance.now();
  expect(unflattenPrefix({ 'm.4294967294.role': 'user' }, 'm')).toBeUndefined();
  expect(unflattenPrefix({ 'm.1000000.role': 'user' }, 'm')).toBeUndefined();
  expect(unflattenPrefix({ [`m.${'a.'.repeat(100_000)}b`]: 1 }, 'm')).toBeUndefined();
  expect(performance.now() - started).toBeLessThan(1000);
  expect(unflattenPrefix({ 'm.999999.role': 'user' }, 'm')?.value).toEqual([{ role: 'user' }]);
});
