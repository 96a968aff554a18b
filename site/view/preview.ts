import { chatMessages } from './chat.ts';

/** The longest preview kept for a table cell; the full value lives in the trace's chunk. */
export const PREVIEW_CHARS = 160;

/**
 * A one-line text for a table cell: strings as they are, chat inputs as their last user
 * message, chat outputs as the assistant's reply, objects with one text field as that text,
 * anything else as compact JSON. Whitespace runs become one space; long text ends in '…'.
 */
export function previewText(value: unknown, max = PREVIEW_CHARS): string {
  return truncate(oneLine(rawPreview(value)), max);
}

function rawPreview(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  const messages = chatMessages(value);
  if (messages && messages.length > 0) {
    const lastUser = [...messages].reverse().find((m) => m.role === 'user');
    const pick = lastUser ?? messages[messages.length - 1]!;
    if (pick.text) return pick.text;
    if (pick.toolCalls.length > 0) return pick.toolCalls.map((c) => `${c.name}(…)`).join(' ');
  }
  if (typeof value === 'object' && !Array.isArray(value)) {
    const entries = Object.entries(value as Record<string, unknown>);
    if (entries.length === 1 && typeof entries[0]![1] === 'string') return entries[0]![1] as string;
  }
  return safeStringify(value, 4 * PREVIEW_CHARS);
}

/** JSON text of a value, cut short for huge values without serialising all of them twice. */
function safeStringify(value: unknown, limit = Infinity): string {
  try {
    const text = JSON.stringify(value);
    if (text === undefined) return String(value);
    return text.length > limit ? text.slice(0, limit) : text;
  } catch {
    return String(value);
  }
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/** Cuts at a code point boundary (never half a surrogate pair) and marks the cut. */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  let end = max - 1;
  const code = text.charCodeAt(end - 1);
  if (code >= 0xd800 && code <= 0xdbff) end--;
  return `${text.slice(0, end)}…`;
}
