import type { SpanEvent } from '../../schemas/span.ts';

/**
 * The error text of a failed span: its status message, else `type: message` of its first
 * `exception` event (how OpenTelemetry records an exception). Undefined when neither says.
 */
export function spanErrorText(statusMessage: unknown, events: readonly SpanEvent[]): string | undefined {
  if (typeof statusMessage === 'string' && statusMessage !== '') return statusMessage;
  const event = events.find((e) => e.name === 'exception');
  const type = event?.attributes?.['exception.type'];
  const message = event?.attributes?.['exception.message'];
  const parts = [type, message].filter((part): part is string => typeof part === 'string' && part !== '');
  return parts.length > 0 ? parts.join(': ') : undefined;
}
