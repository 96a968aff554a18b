import { isRecord, setOwn } from './json-value.ts';

/**
 * Chat messages arrive in three shapes; Labbook shows the common `{ role, content }`:
 *
 * - OpenTelemetry GenAI: `{ role, parts: [{ type: 'text', content }], name?, finish_reason? }`;
 * - OpenInference, once unflattened: `{ message: { role, content, tool_calls: [{ tool_call: … }] } }`;
 * - `{ role, content }` as most SDKs and MLflow write them.
 */

/** GenAI messages with a single text part become `{ role, content }`; any other part list is kept. */
export function fromGenAiMessages(value: unknown): unknown {
  if (!Array.isArray(value)) return value;
  return value.map((message) => {
    if (!isRecord(message) || !Array.isArray(message.parts) || 'content' in message) return message;
    const parts = message.parts as unknown[];
    const part = parts[0];
    if (parts.length !== 1 || !isRecord(part) || part.type !== 'text' || typeof part.content !== 'string' || !hasTwoKeys(part)) return message;
    // `{ role, content, ...rest }` built in one object, without the rest copy and the spread.
    const simple: Record<string, unknown> = { role: message.role, content: part.content };
    for (const key in message) if (key !== 'parts' && key !== 'role' && Object.hasOwn(message, key)) setOwn(simple, key, message[key]);
    return simple;
  });
}

/** `Object.keys(object).length === 2` without the list: this runs for every chat message imported. */
function hasTwoKeys(object: object): boolean {
  let count = 0;
  for (const key in object) if (Object.hasOwn(object, key) && ++count > 2) return false;
  return count === 2;
}

/** Unwraps OpenInference's `message`, `tool_call` and `message_content` layers. */
export function fromOpenInferenceMessages(value: unknown): unknown {
  if (!Array.isArray(value)) return value;
  return value.map((entry) => {
    const message = isRecord(entry) && isRecord(entry.message) && Object.keys(entry).length === 1 ? entry.message : entry;
    if (!isRecord(message)) return message;
    const out: Record<string, unknown> = { ...message };
    if (Array.isArray(out.tool_calls)) out.tool_calls = out.tool_calls.map((call) => (isRecord(call) && isRecord(call.tool_call) ? call.tool_call : call));
    if (Array.isArray(out.contents)) out.contents = out.contents.map((part) => (isRecord(part) && isRecord(part.message_content) ? part.message_content : part));
    return out;
  });
}

export interface SimpleMessage {
  role: string;
  content: string;
  name?: string;
  finish_reason?: string;
}

const SIMPLE_KEYS = new Set(['role', 'content', 'name', 'finish_reason']);

/** True for a non-empty list of `{ role, content }` messages with string content and nothing else. */
export function isSimpleMessageList(value: unknown): value is SimpleMessage[] {
  return (
    Array.isArray(value) &&
    value.length > 0 &&
    value.every(
      (message) =>
        isRecord(message) &&
        typeof message.role === 'string' &&
        typeof message.content === 'string' &&
        Object.keys(message).every((key) => SIMPLE_KEYS.has(key) && (key === 'role' || key === 'content' || typeof message[key] === 'string')),
    )
  );
}

/** Simple messages in the GenAI conventions' shape (one text part each). */
export function toGenAiMessages(messages: readonly SimpleMessage[]): unknown[] {
  return messages.map(({ role, content, ...rest }) => ({ role, parts: [{ type: 'text', content }], ...rest }));
}

/** Simple messages in OpenInference's shape, ready to flatten under `llm.input_messages`. */
export function toOpenInferenceMessages(messages: readonly SimpleMessage[]): unknown[] {
  return messages.map((message) => ({ message: { ...message } }));
}
