/**
 * The opening words every output of a run shares ("Here is what the knowledge base says."),
 * when there are any: a column cut after ~40 characters would show only them, and every row
 * would read the same. Cut back to a word boundary; empty when under 16 characters.
 */
export function sharedStart(texts: readonly string[]): string {
  const present = texts.filter((t) => t.length > 0);
  if (present.length < 2) return '';
  let prefix = present[0]!;
  for (const text of present) {
    let i = 0;
    while (i < prefix.length && i < text.length && prefix.charCodeAt(i) === text.charCodeAt(i)) i++;
    prefix = prefix.slice(0, i);
    if (prefix.length < 16) return '';
  }
  const cut = prefix.lastIndexOf(' ');
  return cut >= 16 ? prefix.slice(0, cut + 1) : '';
}

/** An output without the run's shared opening words, marked with an ellipsis. */
export function elideShared(text: string, shared: string): string {
  return shared && text.startsWith(shared) && text.length > shared.length ? `…${text.slice(shared.length)}` : text;
}
