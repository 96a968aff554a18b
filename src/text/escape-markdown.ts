/**
 * Text for CLI output in `--format markdown`: every character Markdown (or GitHub's HTML) would
 * read as markup is backslash-escaped, and the text is kept on one line, so a name such as
 * `gpt <b>judge</b>` or `a|b` prints as written, in a list item or a table cell.
 */
export function escapeMarkdown(text: string): string {
  return text.replace(/[\\|`*_[\]<>&]/g, (c) => `\\${c}`).replace(/\r?\n/g, ' ');
}
