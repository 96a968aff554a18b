/**
 * DOM building for the site's scripts. Data only ever becomes text nodes or attribute values
 * set through the DOM API; nothing here parses HTML, so a `<script>` in a trace stays text.
 */
type Child = Node | string | number | null | undefined | false;

export interface Attrs {
  class?: string;
  [name: string]: string | number | boolean | undefined | null;
}

export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Attrs | null = null,
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  if (attrs) {
    for (const [name, value] of Object.entries(attrs)) {
      if (value === undefined || value === null || value === false) continue;
      if (name.startsWith('on')) throw new Error(`h(): event handler attributes are not allowed (${name})`);
      if (name === 'href') el.setAttribute('href', safeHref(String(value)));
      else el.setAttribute(name, value === true ? '' : String(value));
    }
  }
  append(el, ...children);
  return el;
}

export function append(parent: Node, ...children: Child[]): void {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    parent.appendChild(typeof child === 'object' ? child : document.createTextNode(String(child)));
  }
}

/** Only same-site paths and http(s) URLs become links; anything else (javascript:, data:) becomes '#'. */
export function safeHref(href: string): string {
  if (href.startsWith('/') || href.startsWith('#') || href.startsWith('?')) return href.startsWith('//') ? '#' : href;
  try {
    const url = new URL(href);
    return url.protocol === 'https:' || url.protocol === 'http:' ? href : '#';
  } catch {
    return '#';
  }
}

export function clear(el: Element): void {
  el.replaceChildren();
}

export function byId<T extends HTMLElement = HTMLElement>(id: string): T {
  const el = document.getElementById(id);
  if (!el) throw new Error(`missing #${id}`);
  return el as T;
}

/** The site's base path (from the body), always with a trailing slash. */
export function basePath(): string {
  const base = document.body.dataset.base ?? '/';
  return base.endsWith('/') ? base : `${base}/`;
}

/** Whether a key event comes from a text field (shortcuts must not steal typing). */
export function isTyping(event: KeyboardEvent): boolean {
  const target = event.target as HTMLElement | null;
  if (!target) return false;
  const tag = target.tagName;
  return tag === 'INPUT' || tag === 'TEXTAREA' || tag === 'SELECT' || target.isContentEditable;
}

/** Shows an error where content was expected, as text. */
export function showError(host: Element, message: string): void {
  host.replaceChildren(h('p', { class: 'notice error', role: 'alert' }, message));
}
