/**
 * The text of an output for evaluators that read text: strings as they are, numbers and
 * booleans written out, data as JSON; null when there is no output at all.
 */
export function outputText(output: unknown): string | null {
  if (output === undefined || output === null) return null;
  if (typeof output === 'string') return output;
  if (typeof output === 'number' || typeof output === 'boolean' || typeof output === 'bigint') return String(output);
  try {
    return JSON.stringify(output) ?? null;
  } catch {
    return String(output);
  }
}

/** A number from a number or a string that is exactly one (`" 42.5 "`, `"1e3"`); otherwise null. */
export function parseNumber(value: unknown): number | null {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value !== 'string') return null;
  const text = value.trim();
  if (!/^[+-]?(\d+(\.\d*)?|\.\d+)(e[+-]?\d+)?$/i.test(text)) return null;
  const number = Number(text);
  return Number.isFinite(number) ? number : null;
}

/** Lower case, Unicode-compatible forms folded, whitespace collapsed and trimmed. */
export function normalizeText(text: string): string {
  return text.normalize('NFKC').toLowerCase().replace(/\s+/g, ' ').trim();
}
