/**
 * Makes untrusted text safe to place in one Markdown table cell or link label of a comment
 * posted by a bot: HTML characters become entities, no line break can end the row, no `|` can
 * split it, no `[`/`]`/backtick/emphasis can turn it into a link or code, and `@name` does not
 * notify anyone. Long text is cut at `max` characters. The result is final markup: templates
 * print it with `| safe`, because HTML autoescaping would turn the backslashes that protect
 * `|` into `&#92;`, which GitHub's table parser does not honour.
 */
export function markdownText(text: string, max = 200): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  const cut = flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
  return cut
    .replace(/[&<>"']/g, (ch) => HTML_ENTITIES[ch]!)
    .replace(/[\\`*_[\]|~]/g, (ch) => `\\${ch}`)
    .replace(/@/g, '@\u200b');
}

const HTML_ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** A path segment or query value for a Markdown link: percent-encoded, parentheses too. */
export function linkPart(text: string): string {
  return encodeURIComponent(text).replace(/\(/g, '%28').replace(/\)/g, '%29');
}

/**
 * Only absolute http(s) URLs become links; anything else (`javascript:`, relative) is dropped.
 * Parentheses are percent-encoded so the URL cannot end a Markdown link early.
 */
export function httpUrl(text: string | null | undefined): string | null {
  if (!text) return null;
  try {
    const url = new URL(text);
    return url.protocol === 'https:' || url.protocol === 'http:' ? url.href.replace(/\(/g, '%28').replace(/\)/g, '%29') : null;
  } catch {
    return null;
  }
}
