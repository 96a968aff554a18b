/**
 * The base of every error Labbook raises on purpose. The CLI prints `message` alone (no stack)
 * for these, and a stack for anything else, which is then a bug.
 */
export class LabbookError extends Error {
  override name = 'LabbookError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}
