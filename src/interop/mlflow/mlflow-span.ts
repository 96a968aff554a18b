import type { SpanEvent, Status } from '../../../schemas/span.ts';
import { normaliseId } from '../ids.ts';
import type { ReportBuilder } from '../import-report.ts';
import { isRecord, parseJsonLoose, setOwn } from '../json-value.ts';
import { nanosToMs } from '../nanos.ts';
import { draftSpan } from '../span-draft.ts';
import type { SpanDraft } from '../trace-assembly.ts';

export interface Where {
  file: string;
  line?: number;
}

/**
 * One MLflow span dict as a Labbook span. Two shapes exist and are told apart by shape:
 *
 * - schema v2: `context: { trace_id, span_id }` (hex, `0x`-prefixed), `parent_id`,
 *   `start_time`/`end_time` (ns), `status_code`/`status_message`, events with `timestamp`;
 * - schema v3 (OpenTelemetry-like): `trace_id`, `span_id`, `parent_span_id` (base64 of the
 *   raw bytes, or hex in newer dumps), `start_time_unix_nano`/`end_time_unix_nano`,
 *   `status: { code, message }`, events with `time_unix_nano`.
 *
 * Every attribute value is JSON-encoded (`"\"LLM\""`); each is decoded, and a value that is
 * not JSON is kept as the plain string it is.
 */
export function spanFromMlflow(
  raw: Record<string, unknown>,
  traceLabel: string,
  index: number,
  where: Where,
  report: ReportBuilder,
): SpanDraft {
  const v2 = isRecord(raw.context);
  const context = v2 ? (raw.context as Record<string, unknown>) : raw;
  let id = normaliseId(context.span_id);
  if (id === null) {
    id = `missing-span-id-${index + 1}`;
    report.warn(
      'no-span-id',
      { ...where, message: `trace ${traceLabel}: span ${index + 1} ("${String(raw.name ?? '')}") has no span id; imported as ${id}` },
      'span without id',
    );
  }
  const parentId = normaliseId(v2 ? raw.parent_id : raw.parent_span_id);

  let start = nanosToMs(v2 ? raw.start_time : raw.start_time_unix_nano);
  let end = nanosToMs(v2 ? raw.end_time : raw.end_time_unix_nano);
  if (start === undefined || end === undefined) {
    report.warn(
      'no-time',
      {
        ...where,
        message: `trace ${traceLabel}: span ${id} has no ${start === undefined ? 'start' : 'end'} time (an unfinished span?); set to its ${start === undefined ? 'end' : 'start'} time`,
      },
      'span without times',
    );
    start ??= end ?? 0;
    end ??= start;
  }

  const attributes: Record<string, unknown> = {};
  if (isRecord(raw.attributes)) for (const key of Object.keys(raw.attributes)) setOwn(attributes, key, parseJsonLoose(raw.attributes[key]));
  const events: SpanEvent[] = [];
  if (Array.isArray(raw.events)) {
    for (const event of raw.events) {
      if (!isRecord(event)) continue;
      const decoded: SpanEvent = {
        name: typeof event.name === 'string' ? event.name : '',
        time: nanosToMs(event.time_unix_nano ?? event.timestamp) ?? start,
      };
      if (isRecord(event.attributes) && Object.keys(event.attributes).length > 0) decoded.attributes = { ...event.attributes };
      events.push(decoded);
    }
  }

  const statusRaw = v2 ? raw.status_code : isRecord(raw.status) ? raw.status.code : undefined;
  const statusMessage = v2 ? raw.status_message : isRecord(raw.status) ? raw.status.message : undefined;
  return draftSpan(
    {
      traceId: traceLabel,
      spanId: id,
      parentId,
      name: typeof raw.name === 'string' ? raw.name : '',
      start,
      end,
      status: mlflowStatus(statusRaw),
      statusMessage,
      attributes,
      events,
    },
    where,
    report,
    { mlflowValuesEncoded: false },
  );
}

/** MLflow writes `OK`/`ERROR`/`UNSET` (v2, v4) or `STATUS_CODE_OK`… (v3, from the protobuf enum). */
function mlflowStatus(code: unknown): Status {
  const text = typeof code === 'string' ? code.replace(/^STATUS_CODE_/, '') : code;
  if (text === 'ERROR' || text === 2) return 'error';
  if (text === 'OK' || text === 1) return 'ok';
  return 'unset';
}
