import { chatMessages, type ChatMessage } from '#site/view/chat.ts';
import { h } from './dom.ts';

/** Longest JSON text highlighted token by token; beyond it, plain text (still text nodes). */
const HIGHLIGHT_LIMIT = 100_000;
/** Longest text shown before a "show all" button. */
const SHOW_LIMIT = 200_000;

const TOKEN = /("(?:\\.|[^"\\])*")(\s*:)?|\b(true|false|null)\b|(-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)/g;

/** Pretty JSON with keys, strings, numbers and literals in their own spans. */
export function jsonView(value: unknown, label = 'JSON value'): HTMLElement {
  const text = (value === undefined ? 'undefined' : JSON.stringify(value, null, 2)) ?? String(value);
  const pre = h('pre', { class: 'json-value', tabindex: 0, 'aria-label': label });
  fillLimited(pre, text, (target, shown) => {
    if (shown.length > HIGHLIGHT_LIMIT) {
      target.append(shown);
      return;
    }
    let last = 0;
    for (const match of shown.matchAll(TOKEN)) {
      const at = match.index;
      if (at > last) target.append(shown.slice(last, at));
      const cls = match[1] ? (match[2] ? 'k' : 's') : match[3] ? 'l' : 'n';
      target.append(h('span', { class: cls }, match[1] ?? match[0]));
      if (match[2]) target.append(match[2]);
      last = at + match[0].length;
    }
    if (last < shown.length) target.append(shown.slice(last));
  });
  return pre;
}

/** Plain text, wrapped, as a block. */
export function textView(text: string, label = 'text'): HTMLElement {
  const pre = h('pre', { class: 'text-value', tabindex: 0, 'aria-label': label });
  fillLimited(pre, text, (target, shown) => target.append(shown));
  return pre;
}

function fillLimited(target: HTMLElement, text: string, fill: (target: HTMLElement, shown: string) => void): void {
  if (text.length <= SHOW_LIMIT) {
    fill(target, text);
    return;
  }
  fill(target, text.slice(0, SHOW_LIMIT));
  const more = h('button', { type: 'button', class: 'btn' }, `Show all ${text.length.toLocaleString('en-US')} characters`);
  more.addEventListener('click', () => {
    target.replaceChildren();
    target.append(text);
  });
  target.append('\n… ', more);
}

const ROLES = new Set(['user', 'assistant', 'system', 'tool', 'developer', 'function']);

/** Chat messages as a conversation: role, text, tool calls with their arguments. */
export function chatView(messages: ChatMessage[]): HTMLElement {
  return h(
    'div',
    { class: 'chat' },
    ...messages.map((m) =>
      h(
        'div',
        { class: `msg ${ROLES.has(m.role) ? m.role : 'other'}` },
        h('div', { class: 'role' }, m.role, m.name ? ` · ${m.name}` : '', m.toolCallId ? ` · result of ${m.toolCallId}` : ''),
        m.text ? h('div', { class: 'text' }, m.text) : null,
        ...m.toolCalls.map((call) => callView(call.name, call.args, call.id)),
      ),
    ),
  );
}

/** A tool call shown as a call: `name(arguments)`. */
export function callView(name: string, args: unknown, id: string | null = null, result?: unknown): HTMLElement {
  const argsText = typeof args === 'string' ? args : (JSON.stringify(args, null, 2) ?? '');
  return h(
    'div',
    { class: 'call' },
    h('span', { class: 'fn' }, name),
    '(',
    argsText.length > 80 || argsText.includes('\n') ? h('div', null, argsText) : argsText,
    ')',
    id ? h('span', { class: 'faint' }, `  #${id}`) : null,
    result !== undefined ? h('div', null, '→ ', typeof result === 'string' ? result : (JSON.stringify(result, null, 2) ?? '')) : null,
  );
}

/** Any recorded value: a conversation when it is chat, text when it is a string, else JSON. */
export function valueView(value: unknown, label: string): HTMLElement {
  const messages = chatMessages(value);
  if (messages) return chatView(messages);
  if (typeof value === 'string') return textView(value, label);
  return jsonView(value, label);
}
