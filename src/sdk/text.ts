/** Shortens text to the length a schema allows, saying so, rather than failing the whole trace. */
export function clip(text: string, max: number): string {
  if (text.length <= max) return text;
  const marker = '… [truncated]';
  return text.slice(0, Math.max(0, max - marker.length)) + marker;
}

/** One line for a thrown value: `TypeError: x is not a function`, or the value itself. */
export function describeError(error: unknown): string {
  if (error instanceof Error) {
    const message = error.message || '(no message)';
    return error.name && error.name !== 'Error' ? `${error.name}: ${message}` : message;
  }
  if (typeof error === 'string') return error;
  try {
    return `non-error thrown: ${JSON.stringify(error) ?? String(error)}`;
  } catch {
    return `non-error thrown: ${String(error)}`;
  }
}

/** A short quoted preview of a value for a score's rationale. */
export function preview(value: unknown, max = 200): string {
  if (value === undefined) return 'nothing';
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value);
  }
  return clip(text, max);
}

/** A value as an error message shows it: text quoted (so `"4"` is not mistaken for 4), containers by kind. */
export function describeValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(clip(value, 200));
  if (typeof value === 'number' || typeof value === 'boolean' || value === null || value === undefined) return String(value);
  if (typeof value === 'bigint') return `${value}n`;
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}
