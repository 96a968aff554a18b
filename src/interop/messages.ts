import { isRecord, parseJsonLoose, parseJsonStructure, setOwn } from './json-value.ts';

/**
 * Chat messages arrive in three shapes; Labbook shows the common `{ role, content }`:
 *
 * - OpenTelemetry GenAI: `{ role, parts: [{ type: 'text', content }], name?, finish_reason? }`;
 * - OpenInference, once unflattened: `{ message: { role, content, tool_calls: [{ tool_call: … }] } }`;
 * - `{ role, content }` as most SDKs and MLflow write them.
 */

/**
 * A tool call as the site and OpenAI's API show one. Arguments written as JSON text are parsed
 * when they hold an object or array, so every convention's calls read alike.
 */
export function toolCall(id: unknown, name: unknown, args: unknown): Record<string, unknown> {
  const call: Record<string, unknown> = {};
  if (id !== undefined && id !== null) call.id = String(id);
  call.type = 'function';
  call.function = { name: typeof name === 'string' ? name : String(name ?? ''), arguments: parseJsonStructure(args) };
  return call;
}

/** A tool's answer to one call, as a message of its own. */
function toolMessage(id: unknown, content: unknown, name?: unknown): Record<string, unknown> {
  const message: Record<string, unknown> = { role: 'tool' };
  if (id !== undefined && id !== null) message.tool_call_id = String(id);
  if (typeof name === 'string' && name !== '') message.name = name;
  message.content = content ?? '';
  return message;
}

/** Text parts joined, or the parts themselves (text as `{ type: 'text', text }`) when some are not text. */
function partsContent(parts: readonly unknown[], textOf: (part: Record<string, unknown>) => string | undefined): unknown {
  // One text part (nearly every message): its own string, no list and no copy.
  if (parts.length === 1) {
    const only = parts[0];
    const text = isRecord(only) ? textOf(only) : typeof only === 'string' ? only : undefined;
    if (text !== undefined) return text;
  }
  const texts: string[] = [];
  let allText = true;
  for (const part of parts) {
    const text = isRecord(part) ? textOf(part) : typeof part === 'string' ? part : undefined;
    if (text === undefined) allText = false;
    else texts.push(text);
  }
  if (allText) return texts.join('\n');
  return parts.map((part) => {
    const text = isRecord(part) ? textOf(part) : typeof part === 'string' ? part : undefined;
    return text === undefined ? part : { type: 'text', text };
  });
}

/** A text part's text; a part with more than `type` and `content` stays a part, so nothing is lost. */
const genAiText = (part: Record<string, unknown>): string | undefined =>
  part.type === 'text' && typeof part.content === 'string' && hasTwoKeys(part) ? part.content : undefined;

/** `Object.keys(object).length === 2` without the list: this runs for every chat message imported. */
function hasTwoKeys(object: object): boolean {
  let count = 0;
  for (const key in object) if (Object.hasOwn(object, key) && ++count > 2) return false;
  return count === 2;
}

/** A message that became several (an assistant turn and the tool results it carried). */
class Several {
  constructor(readonly messages: unknown[]) {}
}

/**
 * Maps each message; one that becomes several is spliced in. The common case (one message
 * each) is a `map`, so the list is allocated at its size: an import holds millions of them.
 */
function mapMessages(value: readonly unknown[], convert: (message: unknown) => unknown): unknown[] {
  let several = false;
  const mapped = value.map((message) => {
    const converted = convert(message);
    if (converted instanceof Several) several = true;
    return converted;
  });
  if (!several) return mapped;
  const out: unknown[] = [];
  for (const item of mapped) {
    if (item instanceof Several) out.push(...item.messages);
    else out.push(item);
  }
  return out;
}

/**
 * GenAI messages (semconv ≥ 1.37: `{ role, parts, name?, finish_reason? }`) as the site shows
 * them: text parts become `content`, `tool_call` parts the message's `tool_calls` (name and
 * arguments), and each `tool_call_response` part a `tool` message with the call's id. Other
 * parts (reasoning, blobs, URIs) stay in `content` as parts. A message that already has
 * `content` is left alone.
 */
export function fromGenAiMessages(value: unknown): unknown {
  return Array.isArray(value) ? mapMessages(value, fromGenAiMessage) : value;
}

function fromGenAiMessage(message: unknown): unknown {
  if (!isRecord(message) || !Array.isArray(message.parts) || 'content' in message) return message;
  const parts = message.parts as unknown[];
  let calls: unknown[] | undefined;
  let responses: Record<string, unknown>[] | undefined;
  let rest: unknown[] = parts;
  // Only a message with tool parts needs its parts sorted out.
  if (parts.some((part) => isRecord(part) && (part.type === 'tool_call' || part.type === 'tool_call_response'))) {
    rest = [];
    for (const part of parts) {
      if (isRecord(part) && part.type === 'tool_call') (calls ??= []).push(toolCall(part.id, part.name, part.arguments));
      else if (isRecord(part) && part.type === 'tool_call_response')
        (responses ??= []).push(
          toolMessage(part.id, parseJsonStructure(part.response ?? part.result), message.role === 'tool' ? message.name : undefined),
        );
      else rest.push(part);
    }
    // A tool message made only of responses is those responses, one message per call answered.
    if (responses && rest.length === 0 && !calls) return responses.length === 1 ? responses[0] : new Several(responses);
  }
  const simple: Record<string, unknown> = { role: message.role, content: partsContent(rest, genAiText) };
  if (calls) simple.tool_calls = calls;
  for (const key in message) if (key !== 'parts' && key !== 'role' && Object.hasOwn(message, key)) setOwn(simple, key, message[key]);
  return responses ? new Several([simple, ...responses]) : simple;
}

/** `gen_ai.system_instructions` (a list of parts, or text) as a system message; undefined when empty. */
export function systemMessageFrom(value: unknown): Record<string, unknown> | undefined {
  const parsed = parseJsonLoose(value);
  if (typeof parsed === 'string') return parsed === '' ? undefined : { role: 'system', content: parsed };
  if (Array.isArray(parsed)) return parsed.length === 0 ? undefined : { role: 'system', content: partsContent(parsed, genAiText) };
  if (isRecord(parsed)) return { role: 'system', content: partsContent([parsed], genAiText) };
  return undefined;
}

/**
 * Unwraps OpenInference's `message`, `tool_call` and `message_content` layers, and gives tool
 * calls the common shape (`{ id, type, function: { name, arguments } }`, arguments parsed).
 */
export function fromOpenInferenceMessages(value: unknown): unknown {
  if (!Array.isArray(value)) return value;
  return value.map((entry) => {
    const message = isRecord(entry) && isRecord(entry.message) && Object.keys(entry).length === 1 ? entry.message : entry;
    if (!isRecord(message)) return message;
    const out: Record<string, unknown> = { ...message };
    if (Array.isArray(out.tool_calls)) {
      out.tool_calls = out.tool_calls.map((entry) => {
        const call = isRecord(entry) && isRecord(entry.tool_call) ? entry.tool_call : entry;
        if (!isRecord(call) || !isRecord(call.function)) return call;
        return toolCall(call.id, call.function.name, call.function.arguments);
      });
      out.content ??= '';
    }
    if (Array.isArray(out.contents)) {
      const parts = out.contents.map((part) => (isRecord(part) && isRecord(part.message_content) ? part.message_content : part));
      if (out.content === undefined) {
        out.content = partsContent(parts, (part) => (part.type === 'text' && typeof part.text === 'string' ? part.text : undefined));
        delete out.contents;
      } else {
        out.contents = parts;
      }
    }
    return out;
  });
}

/**
 * OpenLLMetry's messages, once unflattened from `gen_ai.prompt.N.*` / `gen_ai.completion.N.*`:
 * `{ role, content, tool_call_id?, finish_reason?, tool_calls: [{ id, name, arguments }] }`.
 * Undefined when the value is not a list of messages with roles.
 */
export function fromOpenLlmetryMessages(value: unknown): unknown[] | undefined {
  if (!Array.isArray(value) || !value.every((message) => isRecord(message) && typeof message.role === 'string')) return undefined;
  return (value as Record<string, unknown>[]).map((message) => {
    const out: Record<string, unknown> = { ...message };
    if (Array.isArray(message.tool_calls)) {
      out.tool_calls = message.tool_calls.map((call) => (isRecord(call) ? toolCall(call.id, call.name, call.arguments) : call));
      out.content ??= '';
    }
    if (out.content === undefined) out.content = '';
    return out;
  });
}

const vercelText = (part: Record<string, unknown>): string | undefined =>
  part.type === 'text' && typeof part.text === 'string' ? part.text : undefined;

/** A tool result of the AI SDK: v5+ wraps it as `{ type: 'json' | 'text' | …, value }`, v4 has `result`. */
function vercelToolOutput(part: Record<string, unknown>): unknown {
  const output = part.output;
  if (isRecord(output) && typeof output.type === 'string' && 'value' in output) return output.value;
  return output ?? part.result;
}

/**
 * The AI SDK's messages (`ai.prompt.messages`): content parts `text`, `tool-call` (`toolCallId`,
 * `toolName`, `input` or v4's `args`) and `tool-result` become `content`, `tool_calls` and one
 * `tool` message per result. Parts of other types (files, images, reasoning) stay as parts.
 */
export function fromVercelMessages(value: unknown): unknown {
  return Array.isArray(value) ? mapMessages(value, fromVercelMessage) : value;
}

function fromVercelMessage(message: unknown): unknown {
  if (!isRecord(message) || !Array.isArray(message.content)) return message;
  const calls: unknown[] = [];
  const results: Record<string, unknown>[] = [];
  const rest: unknown[] = [];
  for (const part of message.content as unknown[]) {
    if (isRecord(part) && part.type === 'tool-call') calls.push(toolCall(part.toolCallId, part.toolName, part.input ?? part.args));
    else if (isRecord(part) && part.type === 'tool-result')
      results.push(toolMessage(part.toolCallId, parseJsonStructure(vercelToolOutput(part)), part.toolName));
    else rest.push(part);
  }
  if (results.length > 0 && rest.length === 0 && calls.length === 0) return results.length === 1 ? results[0] : new Several(results);
  const simple: Record<string, unknown> = { ...message, content: partsContent(rest, vercelText) };
  if (calls.length > 0) simple.tool_calls = calls;
  return results.length > 0 ? new Several([simple, ...results]) : simple;
}

/**
 * The AI SDK's `ai.prompt` (`{ system?, prompt?, messages? }`): its messages read as
 * `fromVercelMessages` does, so the site draws them with the system text; a plain `prompt`
 * stays as the SDK wrote it (it is the trace's input, and the example id hashes it).
 */
export function fromVercelPrompt(value: unknown): unknown {
  if (!isRecord(value) || !Array.isArray(value.messages)) return value;
  return { ...value, messages: fromVercelMessages(value.messages) };
}

/**
 * The AI SDK's tool calls (`ai.response.toolCalls`: `toolCallId`, `toolName`, `input` or v4's
 * `args`) as an assistant message's `tool_calls`.
 */
export function fromVercelToolCalls(value: unknown): unknown[] | undefined {
  if (!Array.isArray(value) || !value.every((call) => isRecord(call) && typeof call.toolName === 'string')) return undefined;
  return (value as Record<string, unknown>[]).map((call) => toolCall(call.toolCallId, call.toolName, call.input ?? call.args));
}

/** Messages in the OpenAI shape (as the oldest GenAI events hold them), tool call arguments parsed. */
export function fromOpenAiMessages(value: unknown): unknown {
  if (!Array.isArray(value)) return value;
  return value.map((message) => {
    if (!isRecord(message) || !Array.isArray(message.tool_calls)) return message;
    return {
      ...message,
      tool_calls: message.tool_calls.map((call) =>
        isRecord(call) && isRecord(call.function)
          ? { ...call, function: { ...call.function, arguments: parseJsonStructure(call.function.arguments) } }
          : call,
      ),
    };
  });
}

interface SimpleMessage {
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
        Object.keys(message).every(
          (key) => SIMPLE_KEYS.has(key) && (key === 'role' || key === 'content' || typeof message[key] === 'string'),
        ),
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

/**
 * Labbook's chat messages with tool calls and tool results in the GenAI shape (`parts` with
 * `text`, `tool_call` and `tool_call_response`), for the exporter; undefined for a list that is
 * not chat or holds what the shape has no place for. The exporter writes it only when
 * `fromGenAiMessages` gives the same messages back.
 */
export function toGenAiChatMessages(value: unknown): unknown[] | undefined {
  if (!Array.isArray(value) || value.length === 0) return undefined;
  const out: unknown[] = [];
  for (const message of value) {
    if (!isRecord(message) || typeof message.role !== 'string') return undefined;
    if (message.role === 'tool' && typeof message.tool_call_id === 'string') {
      if (!Object.keys(message).every((key) => key === 'role' || key === 'tool_call_id' || key === 'content' || key === 'name'))
        return undefined;
      const part = { type: 'tool_call_response', id: message.tool_call_id, response: message.content };
      out.push(typeof message.name === 'string' ? { role: 'tool', name: message.name, parts: [part] } : { role: 'tool', parts: [part] });
      continue;
    }
    if (typeof message.content !== 'string') return undefined;
    const parts: unknown[] = message.content === '' ? [] : [{ type: 'text', content: message.content }];
    const converted: Record<string, unknown> = { role: message.role, parts };
    for (const key of Object.keys(message)) {
      if (key === 'role' || key === 'content') continue;
      if (key === 'tool_calls' && Array.isArray(message.tool_calls)) {
        for (const call of message.tool_calls) {
          if (!isRecord(call) || !isRecord(call.function) || typeof call.function.name !== 'string') return undefined;
          parts.push({ type: 'tool_call', id: call.id, name: call.function.name, arguments: call.function.arguments });
        }
      } else if (key === 'name' || key === 'finish_reason') {
        converted[key] = message[key];
      } else {
        return undefined;
      }
    }
    out.push(converted);
  }
  return out;
}

/**
 * The same messages in OpenInference's nested shape, ready to flatten under
 * `llm.input_messages` (tool call arguments as JSON text, as OpenInference writes them).
 */
export function toOpenInferenceChatMessages(value: readonly Record<string, unknown>[]): unknown[] {
  return value.map((message) => {
    const inner: Record<string, unknown> = {};
    for (const key of Object.keys(message)) {
      if (key === 'tool_calls' && Array.isArray(message.tool_calls)) {
        inner.tool_calls = message.tool_calls.map((call) => {
          const { id, function: fn } = call as { id?: unknown; function: { name: unknown; arguments: unknown } };
          const args = typeof fn.arguments === 'string' ? fn.arguments : JSON.stringify(fn.arguments ?? {});
          return { tool_call: { ...(id === undefined ? {} : { id }), function: { name: fn.name, arguments: args } } };
        });
      } else {
        inner[key] = message[key];
      }
    }
    return { message: inner };
  });
}
