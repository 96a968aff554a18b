/**
 * The message of anything a `catch` can receive. JavaScript lets code throw any value; an
 * `(error as Error).message` cast prints "undefined" for a thrown string, object or nothing,
 * which is the one moment a user most needs the words. Browser-safe.
 */
export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message || error.name;
  if (typeof error === 'string') return error;
  if (error === undefined || error === null) return `${String(error)} was thrown`;
  if (typeof error === 'object') {
    const message = (error as { message?: unknown }).message;
    if (typeof message === 'string' && message !== '') return message;
    try {
      const json = JSON.stringify(error);
      if (json !== undefined && json !== '{}') return json.length > 500 ? `${json.slice(0, 500)}…` : json;
    } catch {
      // a cycle or a BigInt: fall through to String
    }
  }
  return String(error);
}
