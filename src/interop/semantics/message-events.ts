import type { SpanEvent } from '../../../schemas/span.ts';
import { isRecord, parseJsonLoose, parseJsonStructure, setOwn } from '../json-value.ts';
import { fromOpenAiMessages, toolCall } from '../messages.ts';

/** The GenAI conventions' per-message events (semconv 1.27–1.36) and the role each stands for. */
const MESSAGE_EVENT_ROLES: Readonly<Record<string, string>> = {
  'gen_ai.system.message': 'system',
  'gen_ai.user.message': 'user',
  'gen_ai.assistant.message': 'assistant',
  'gen_ai.tool.message': 'tool',
};
const CHOICE_EVENT = 'gen_ai.choice';
/** The oldest GenAI events: the whole prompt and completion as JSON text in one attribute. */
const PROMPT_EVENT = 'gen_ai.content.prompt';
const COMPLETION_EVENT = 'gen_ai.content.completion';

/** Keys an event may carry that say nothing about the message (the provider, repeated from the span). */
const CONTEXT_KEYS = new Set(['gen_ai.system', 'gen_ai.provider.name', 'event.name']);
/** What each event's attributes may hold; anything else is kept on the message and warned about. */
const KNOWN_FIELDS: Readonly<Record<string, ReadonlySet<string>>> = {
  system: new Set(['role', 'content']),
  user: new Set(['role', 'content']),
  assistant: new Set(['role', 'content', 'tool_calls']),
  tool: new Set(['role', 'content', 'id']),
  choice: new Set(['index', 'finish_reason', 'message', 'role', 'content', 'tool_calls']),
};

interface EventMessages {
  /** The input messages, or the oldest prompt event's value; undefined when no event said. */
  inputs: unknown;
  outputs: unknown;
  /** The events that became `inputs` and `outputs`, dropped from the span's events when used. */
  inputEvents: SpanEvent[];
  outputEvents: SpanEvent[];
  problems: string[];
}

/** Whether an event is one `readEventMessages` reads, so a span without any skips it. */
export function isMessageEvent(name: string): boolean {
  return MESSAGE_EVENT_ROLES[name] !== undefined || name === CHOICE_EVENT || name === PROMPT_EVENT || name === COMPLETION_EVENT;
}

/**
 * The messages a span's GenAI events describe. Per-message events (with an assistant's
 * `tool_calls` and a tool's `id`) win over the oldest prompt and completion events; a field
 * the conventions do not define stays on its message and is warned about.
 */
export function readEventMessages(events: readonly SpanEvent[]): EventMessages {
  const result: EventMessages = { inputs: undefined, outputs: undefined, inputEvents: [], outputEvents: [], problems: [] };
  const inputs: unknown[] = [];
  const outputs: unknown[] = [];
  let legacyInput: { event: SpanEvent; value: unknown } | undefined;
  let legacyOutput: { event: SpanEvent; value: unknown } | undefined;
  for (const event of events) {
    const attributes = event.attributes ?? {};
    const role = MESSAGE_EVENT_ROLES[event.name];
    if (role !== undefined) {
      inputs.push(messageFromEvent(event.name, role, attributes, result.problems));
      result.inputEvents.push(event);
    } else if (event.name === CHOICE_EVENT) {
      outputs.push(messageFromEvent(event.name, 'choice', attributes, result.problems));
      result.outputEvents.push(event);
    } else if (event.name === PROMPT_EVENT && attributes['gen_ai.prompt'] !== undefined) {
      legacyInput ??= { event, value: fromOpenAiMessages(parseJsonLoose(attributes['gen_ai.prompt'])) };
    } else if (event.name === COMPLETION_EVENT && attributes['gen_ai.completion'] !== undefined) {
      legacyOutput ??= { event, value: fromOpenAiMessages(parseJsonLoose(attributes['gen_ai.completion'])) };
    }
  }
  if (inputs.length > 0) result.inputs = inputs;
  else if (legacyInput) {
    result.inputs = legacyInput.value;
    result.inputEvents.push(legacyInput.event);
  }
  if (outputs.length > 0) result.outputs = outputs;
  else if (legacyOutput) {
    result.outputs = legacyOutput.value;
    result.outputEvents.push(legacyOutput.event);
  }
  return result;
}

function messageFromEvent(
  eventName: string,
  kind: string,
  attributes: Record<string, unknown>,
  problems: string[],
): Record<string, unknown> {
  // A choice's message sits under `message`; the others' fields are the event's own.
  const body = kind === 'choice' && attributes.message !== undefined ? parseJsonStructure(attributes.message) : undefined;
  const fields: Record<string, unknown> = isRecord(body) ? { ...attributes, ...body } : attributes;
  const content = parseJsonStructure(fields.content);
  // Some emitters put the whole message, role and all, into `content`.
  if (isRecord(content) && ('role' in content || 'content' in content) && fields.tool_calls === undefined)
    return { ...content, role: content.role ?? defaultRole(kind) };

  const message: Record<string, unknown> = {
    role: typeof fields.role === 'string' ? fields.role : defaultRole(kind),
    content: content ?? '',
  };
  const calls = parseJsonStructure(fields.tool_calls);
  if (Array.isArray(calls) && calls.length > 0) {
    message.tool_calls = calls.map((call) => {
      if (!isRecord(call)) return call;
      const fn = isRecord(call.function) ? call.function : call;
      return toolCall(call.id, fn.name, fn.arguments);
    });
  }
  if (kind === 'tool' && fields.id !== undefined) message.tool_call_id = String(fields.id);
  if (kind === 'choice') {
    if (fields.finish_reason !== undefined) message.finish_reason = fields.finish_reason;
    if (fields.index !== undefined && Number(fields.index) !== 0) message.index = fields.index;
  }
  const known = KNOWN_FIELDS[kind]!;
  for (const key in fields) {
    if (known.has(key) || CONTEXT_KEYS.has(key) || (kind === 'choice' && body !== undefined && key === 'message')) continue;
    setOwn(message, key, fields[key]);
    problems.push(`${eventName} event field "${key}" is not in the GenAI conventions; kept on the message`);
  }
  return message;
}

function defaultRole(kind: string): string {
  return kind === 'choice' ? 'assistant' : kind;
}
