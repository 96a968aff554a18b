/**
 * Escapes for untrusted text placed in Markdown that GitHub renders as HTML. They stand in for
 * nunjucks' autoescape where it falls short: its `&#92;` for a backslash would break the `\|`
 * that keeps a pipe inside a table cell.
 */
const HTML: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => HTML[c]!);
}

/** Text on one line, HTML-escaped: for list items and headings. */
export function markdownInline(text: string): string {
  return escapeHtml(text.replace(/\s*[\r\n]+\s*/g, ' ').trim());
}

/** Text inside a Markdown table cell: one line, HTML-escaped, and no pipe that ends the cell. */
export function markdownCell(text: string): string {
  return markdownInline(text.replace(/\\/g, '\\\\')).replace(/\|/g, '\\|');
}
