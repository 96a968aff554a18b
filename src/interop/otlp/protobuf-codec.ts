import protobuf from 'protobufjs';
import { PROTO_FILES } from './proto/embedded.ts';

/**
 * OTLP's protobuf encoding, decoded and encoded by protobufjs from the official definitions
 * (./proto, embedded as text). A decoded request comes out in OTLP's JSON shape (camelCase
 * fields, bytes as base64, enums as numbers), so one reader, OtlpCollector, takes both
 * encodings; ids in base64 are made hex there (ids.ts). 64-bit integers (times, intValue) stay
 * protobufjs Longs, read exactly by nanos.ts: making each a decimal string was a tenth of the
 * receiver's time.
 */

interface OtlpTypes {
  request: protobuf.Type;
  response: protobuf.Type;
  status: protobuf.Type;
}

let types: OtlpTypes | undefined;

/** Parsed on first use: a run that receives nothing, and the SDK, never pay for it. */
function otlpTypes(): OtlpTypes {
  if (types) return types;
  const root = new protobuf.Root();
  // Dependencies first, so each file's imports resolve within the one root.
  for (const file of ['opentelemetry/proto/common/v1/common.proto', 'opentelemetry/proto/resource/v1/resource.proto', 'opentelemetry/proto/trace/v1/trace.proto', 'opentelemetry/proto/collector/trace/v1/trace_service.proto', 'google/rpc/status.proto']) {
    protobuf.parse(PROTO_FILES[file]!, root, { keepCase: false });
  }
  root.resolveAll();
  types = {
    request: root.lookupType('opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest'),
    response: root.lookupType('opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse'),
    status: root.lookupType('google.rpc.Status'),
  };
  return types;
}

/** Why a body is not an OTLP protobuf request; the message is protobufjs's, with where it stopped. */
export class ProtobufDecodeError extends Error {
  override name = 'ProtobufDecodeError';
}

/** An `ExportTraceServiceRequest` in protobuf, as the JSON encoding would give it. */
export function decodeTraceRequest(bytes: Uint8Array): Record<string, unknown> {
  const { request } = otlpTypes();
  let message: protobuf.Message;
  try {
    message = request.decode(bytes);
  } catch (error) {
    throw new ProtobufDecodeError(`not an OTLP protobuf ExportTraceServiceRequest: ${error instanceof Error ? error.message : String(error)}`);
  }
  return request.toObject(message, { bytes: String, enums: Number, defaults: false }) as Record<string, unknown>;
}

/** An `ExportTraceServiceRequest` from OTLP JSON (to write protobuf files and test bodies). */
export function encodeTraceRequest(json: unknown): Uint8Array {
  const { request } = otlpTypes();
  return request.encode(request.fromObject(withIdBytes(json) as Record<string, unknown>)).finish();
}

const ID_FIELDS = new Set(['traceId', 'spanId', 'parentSpanId']);

/** OTLP JSON writes ids as hex, protobufjs reads strings as base64: ids become bytes first. */
function withIdBytes(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withIdBytes);
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(value)) {
    out[key] = ID_FIELDS.has(key) && typeof field === 'string' && /^[0-9a-fA-F]*$/.test(field) ? Buffer.from(field, 'hex') : key === 'attributes' ? field : withIdBytes(field);
  }
  return out;
}

export interface PartialSuccess {
  rejectedSpans: number;
  errorMessage: string;
}

/** The body of a 200: an empty `ExportTraceServiceResponse`, or one with `partial_success`. */
export function encodeTraceResponse(partial?: PartialSuccess): Uint8Array {
  const { response } = otlpTypes();
  return response.encode(response.fromObject(partial ? { partialSuccess: partial } : {})).finish();
}

/** The body of an error response: a `google.rpc.Status`. */
export function encodeStatus(code: number, message: string): Uint8Array {
  const { status } = otlpTypes();
  return status.encode(status.fromObject({ code, message })).finish();
}

/** Decodes an `ExportTraceServiceResponse` (tests read the receiver's answers with it). */
export function decodeTraceResponse(bytes: Uint8Array): Record<string, unknown> {
  const { response } = otlpTypes();
  return response.toObject(response.decode(bytes), { longs: Number, defaults: false }) as Record<string, unknown>;
}

/** Decodes a `google.rpc.Status`. */
export function decodeStatus(bytes: Uint8Array): { code?: number; message?: string } {
  const { status } = otlpTypes();
  return status.toObject(status.decode(bytes), { defaults: false }) as { code?: number; message?: string };
}
