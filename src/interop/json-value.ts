/**
 * Parses a string that holds JSON, and returns anything else (or a string that is not JSON)
 * unchanged. MLflow stores every attribute JSON-encoded (`"\"LLM\""`), but a plain string
 * written by another tool must survive too.
 */
export function parseJsonLoose(value: unknown): unknown {
  if (typeof value !== 'string' || value === '') return value;
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}

/**
 * Like `parseJsonLoose`, but only for text that is a JSON object or array: `"42"` or `"true"`
 * stay strings. For values whose producer does not say whether they are JSON (OTLP
 * `input.value` without a mime type, tool-call arguments).
 */
export function parseJsonStructure(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  const first = value.trimStart()[0];
  if (first !== '{' && first !== '[') return value;
  return parseJsonLoose(value);
}

/** A finite number from a number or a numeric string; undefined otherwise. */
export function toNumber(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value === 'string' && value.trim() !== '') {
    const number = Number(value);
    return Number.isFinite(number) ? number : undefined;
  }
  return undefined;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Sets a property by a key read from input. A plain `object[key] = value` with the key
 * `__proto__` would replace the object's prototype instead of adding a property.
 */
export function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  else target[key] = value;
}
