/**
 * Recognises chat messages in span or trace inputs and outputs so the trace view can show a
 * conversation instead of raw JSON. Handles the shapes the common SDKs record: OpenAI
 * (`messages`, `tool_calls`, `choices[].message`) and Anthropic (content blocks with
 * `text`, `tool_use`, `tool_result`, a top-level `system`).
 */

interface ChatToolCall {
  id: string | null;
  name: string;
  /** Parsed JSON when the SDK recorded arguments as a JSON string. */
  args: unknown;
}

export interface ChatMessage {
  role: string;
  text: string;
  toolCalls: ChatToolCall[];
  /** For a tool result message: the call it answers. */
  toolCallId: string | null;
  name: string | null;
}

type Obj = Record<string, unknown>;

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);

/** The messages in a value, or null when it does not look like chat. */
export function chatMessages(value: unknown): ChatMessage[] | null {
  if (Array.isArray(value)) return messageList(value);
  if (!isObj(value)) return null;
  if (Array.isArray(value.messages)) {
    const list = messageList(value.messages);
    if (!list) return null;
    const system = str(value.system) ?? (Array.isArray(value.system) ? contentText(value.system).text : null);
    return system ? [plain('system', system), ...list] : list;
  }
  if (Array.isArray(value.choices) && isObj(value.choices[0]) && isObj(value.choices[0].message)) {
    const message = toMessage(value.choices[0].message);
    return message ? [message] : null;
  }
  if (typeof value.role === 'string' && ('content' in value || 'tool_calls' in value)) {
    const message = toMessage(value);
    return message ? [message] : null;
  }
  return null;
}

function messageList(items: unknown[]): ChatMessage[] | null {
  if (items.length === 0) return null;
  const out: ChatMessage[] = [];
  for (const item of items) {
    const message = isObj(item) ? toMessage(item) : null;
    if (!message) return null;
    out.push(message);
  }
  return out;
}

function plain(role: string, text: string): ChatMessage {
  return { role, text, toolCalls: [], toolCallId: null, name: null };
}

function toMessage(item: Obj): ChatMessage | null {
  const role = str(item.role);
  if (!role) return null;
  const { text, toolCalls, toolResultId } = contentText(item.content);
  const calls = [...toolCalls];
  if (Array.isArray(item.tool_calls)) {
    for (const call of item.tool_calls) {
      if (!isObj(call)) continue;
      const fn = isObj(call.function) ? call.function : call;
      calls.push({ id: str(call.id), name: str(fn.name) ?? '(unnamed tool)', args: parseArgs(fn.arguments ?? fn.input) });
    }
  }
  return {
    role,
    text,
    toolCalls: calls,
    toolCallId: str(item.tool_call_id) ?? toolResultId,
    name: str(item.name),
  };
}

function contentText(content: unknown): { text: string; toolCalls: ChatToolCall[]; toolResultId: string | null } {
  if (content === undefined || content === null) return { text: '', toolCalls: [], toolResultId: null };
  if (typeof content === 'string') return { text: content, toolCalls: [], toolResultId: null };
  if (!Array.isArray(content)) return { text: JSON.stringify(content), toolCalls: [], toolResultId: null };
  const texts: string[] = [];
  const toolCalls: ChatToolCall[] = [];
  let toolResultId: string | null = null;
  for (const part of content) {
    if (typeof part === 'string') texts.push(part);
    else if (!isObj(part)) continue;
    else if (part.type === 'tool_use') toolCalls.push({ id: str(part.id), name: str(part.name) ?? '(unnamed tool)', args: part.input });
    else if (part.type === 'tool_result') {
      toolResultId = str(part.tool_use_id);
      texts.push(contentText(part.content).text);
    } else if (typeof part.text === 'string') texts.push(part.text);
    // GenAI parts (reasoning, say) carry their text as `content`.
    else if (typeof part.content === 'string') texts.push(part.content);
    else texts.push(`[${str(part.type) ?? 'part'}]`);
  }
  return { text: texts.join('\n'), toolCalls, toolResultId };
}

function parseArgs(args: unknown): unknown {
  if (typeof args !== 'string') return args;
  try {
    return JSON.parse(args);
  } catch {
    return args;
  }
}
