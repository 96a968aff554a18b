import protobuf from 'protobufjs';
import { PROTO_FILES } from './proto/embedded.ts';
import { readUtf8 } from './utf8-strings.ts';

/**
 * OTLP's protobuf encoding, decoded and encoded by protobufjs from the official definitions
 * (./proto, embedded as text). A decoded request is read in OTLP's JSON shape (camelCase
 * fields, enums as numbers), so one reader, OtlpCollector, takes both encodings. Two kinds
 * of field stay as protobufjs gives them, which the readers take directly: 64-bit integers
 * (times, intValue) as Longs, read exactly by nanos.ts, and bytes (ids, bytesValue) as
 * Uint8Arrays, made hex by ids.ts. Converting them to strings first (`longs: String`, `bytes:
 * String`, then base64 back to hex) was a fifth of the receiver's time.
 *
 * The decoded messages themselves are what the reader walks: protobufjs's `toObject` (a plain
 * copy of every span, attribute and value) was a third of decoding and much of the garbage.
 * A message differs from that copy only where a field is absent from the wire: protobufjs
 * answers with the field's default from the message's prototype (`""`, `0`, empty bytes),
 * where the JSON shape has no field. This module's own message classes get `undefined` as
 * those defaults instead (see `withoutDefaults`), so an absent field reads as absent, as in
 * the copy; repeated fields read as empty lists, which the reader takes as it takes none.
 * test/otlp/protobuf-decode-equivalence.test.ts holds the two ways to the same traces.
 */

interface OtlpTypes {
  request: protobuf.Type;
  resource: protobuf.Type;
  scope: protobuf.Type;
  span: protobuf.Type;
  response: protobuf.Type;
  status: protobuf.Type;
}

let types: OtlpTypes | undefined;

/** Parsed on first use: a run that receives nothing, and the SDK, never pay for it. */
function otlpTypes(): OtlpTypes {
  if (types) return types;
  const root = new protobuf.Root();
  // Dependencies first, so each file's imports resolve within the one root.
  for (const file of [
    'opentelemetry/proto/common/v1/common.proto',
    'opentelemetry/proto/resource/v1/resource.proto',
    'opentelemetry/proto/trace/v1/trace.proto',
    'opentelemetry/proto/collector/trace/v1/trace_service.proto',
    'google/rpc/status.proto',
  ]) {
    protobuf.parse(PROTO_FILES[file]!, root, { keepCase: false });
  }
  root.resolveAll();
  withPresentMembersOnly(() => withoutDefaults(root)); // makes every class of the root
  types = {
    request: root.lookupType('opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest'),
    resource: root.lookupType('opentelemetry.proto.resource.v1.Resource'),
    scope: root.lookupType('opentelemetry.proto.common.v1.InstrumentationScope'),
    span: root.lookupType('opentelemetry.proto.trace.v1.Span'),
    response: root.lookupType('opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse'),
    status: root.lookupType('google.rpc.Status'),
  };
  return types;
}

/**
 * Sets the prototype default of every singular field of every message type in `root` to
 * `undefined`, so that a decoded message has a field exactly when the wire had it (see the
 * module comment). The root is this module's own: no other user of protobufjs sees the change.
 * Encoding is unaffected, since protobufjs writes only fields a message has as its own.
 */
function withoutDefaults(namespace: protobuf.NamespaceBase): void {
  for (const nested of namespace.nestedArray) {
    if (nested instanceof protobuf.Type) {
      const prototype = nested.ctor.prototype as unknown as Record<string, unknown>; // creating ctor sets the defaults first
      for (const field of nested.fieldsArray) if (!field.repeated && !field.map) prototype[field.name] = undefined;
    }
    if (nested instanceof protobuf.Namespace) withoutDefaults(nested);
  }
}

/**
 * The decoder names the member a oneof holds (AnyValue's `value`: "stringValue"…) through a
 * setter protobufjs puts on the message's prototype, which deletes every other member from the
 * message, present or not: six `delete`s per attribute value, a fifth of decoding's time. This
 * root's message classes are made with a setter that deletes only the members present (with
 * the defaults gone, see withoutDefaults, a member is present exactly when it is not
 * undefined), with the same result: the last member on the wire is the one kept. protobufjs
 * defines the setter, unchangeable, when a class is made, so its maker is swapped for the time
 * this root's classes are made, and put back.
 */
function withPresentMembersOnly<T>(make: () => T): T {
  const util = protobuf.util as unknown as { oneOfSetter: (members: string[]) => (this: Record<string, unknown>, name: string) => void };
  const original = util.oneOfSetter;
  util.oneOfSetter = (members) =>
    function (name) {
      for (const member of members) if (member !== name && this[member] !== undefined) delete this[member];
    };
  try {
    return make();
  } finally {
    util.oneOfSetter = original;
  }
}

/**
 * protobufjs's BufferReader with two kinds of field read for less: tags, wire types, lengths and
 * nesting stay protobufjs's, as does every error.
 *
 * Proto3 strings must be valid UTF-8, which protobufjs checks in JavaScript: a string under 64
 * bytes is built a few characters at a time (a seventh of everything the receiver allocated), a
 * longer one by a TextDecoder over a new view. `readUtf8` reads them with Node's decoder, and
 * the short ASCII ones an agent repeats from a table (utf8-strings.ts); bytes it cannot vouch
 * for (invalid, or a U+FFFD really sent) are read again by protobufjs, which rejects the
 * invalid ones as before.
 */
class OtlpReader extends protobuf.BufferReader {
  override stringVerify(): string {
    const start = this.pos;
    const end = this.size() + this.pos;
    if (end <= this.len) {
      const text = readUtf8(this.buf as Buffer, this.pos, end);
      if (text !== undefined) {
        this.pos = end;
        return text;
      }
    }
    this.pos = start; // protobufjs reads it again, and says what is wrong with it
    return super.stringVerify();
  }

  /**
   * OTLP's fixed64 fields are its times, three a span: read as one `{ low, high }` (what
   * nanos.ts reads exactly) rather than protobufjs's bits object and then a Long made of it.
   */
  override fixed64(): protobuf.Long {
    if (this.pos + 8 > this.len) return super.fixed64(); // protobufjs says where it ran out
    const buf = this.buf as Buffer;
    const bits = { low: buf.readInt32LE(this.pos), high: buf.readInt32LE(this.pos + 4), unsigned: true };
    this.pos += 8;
    return bits as unknown as protobuf.Long;
  }
}

/** A reader over Node's Buffer of the bytes, whatever view they came in. */
function readerOf(bytes: Uint8Array): protobuf.Reader {
  return new OtlpReader(Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
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
    message = request.decode(readerOf(bytes));
  } catch (error) {
    throw new ProtobufDecodeError(
      `not an OTLP protobuf ExportTraceServiceRequest: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  return message as unknown as Record<string, unknown>;
}

/**
 * One `ExportTraceServiceRequest` as several smaller requests of at most `spansPerPart` spans,
 * each shaped as the whole would be (its resource and scope repeated), so that a single large
 * message (a whole file) is never one object tree. protobufjs's Reader walks the tags of the
 * three enclosing messages (ExportTraceServiceRequest.resource_spans = 1, ResourceSpans.resource
 * = 1 and .scope_spans = 2, ScopeSpans.scope = 1 and .spans = 2); every Resource, scope and
 * Span is decoded by its official type. A resource or scope written after the spans (proto
 * allows any order) is found first by skipping over the rest.
 */
export function* decodeTraceRequestInParts(bytes: Uint8Array, spansPerPart = 1000): Generator<Record<string, unknown>> {
  const types = otlpTypes();
  const reader = readerOf(bytes);
  let part: { resource: unknown; scope: unknown; spans: unknown[] } | undefined;
  const flush = function* (): Generator<Record<string, unknown>> {
    if (!part || part.spans.length === 0) return;
    const { resource, scope, spans } = part;
    part = { resource, scope, spans: [] };
    yield { resourceSpans: [{ ...(resource ? { resource } : {}), scopeSpans: [{ ...(scope ? { scope } : {}), spans }] }] };
  };
  try {
    for (const resourceSpans of fields(reader, reader.len, 1)) {
      const resourceEnd = reader.pos + resourceSpans;
      const resource = decodeFirst(reader, resourceEnd, 1, types.resource);
      for (const scopeSpans of fields(reader, resourceEnd, 2)) {
        const scopeEnd = reader.pos + scopeSpans;
        const scope = decodeFirst(reader, scopeEnd, 1, types.scope);
        yield* flush();
        part = { resource, scope, spans: [] };
        for (const span of fields(reader, scopeEnd, 2)) {
          part.spans.push(types.span.decode(reader, span));
          if (part.spans.length >= spansPerPart) yield* flush();
        }
      }
    }
    yield* flush();
  } catch (error) {
    throw notARequest(error, reader);
  }
}

/** A failure to read a request, said as one: protobufjs's own message gets where it stopped. */
function notARequest(error: unknown, reader: protobuf.Reader): ProtobufDecodeError {
  const detail =
    error instanceof ProtobufDecodeError
      ? error.message
      : `${error instanceof Error ? error.message : String(error)} at byte ${reader.pos} of ${reader.len}`;
  return new ProtobufDecodeError(`not an OTLP protobuf ExportTraceServiceRequest: ${detail}`);
}

/**
 * The trace id of each span of an `ExportTraceServiceRequest`, in order (undefined for a span
 * without one), read from the message's framing alone: the three enclosing messages are walked
 * as decodeTraceRequestInParts walks them, and of each Span only its `trace_id` (field 1) is
 * read, every other field skipped by its wire type. About a tenth of decoding's time: the
 * receiver answers a request once it knows how many spans it holds and of which traces, and
 * decodes it afterwards. Throws a ProtobufDecodeError where the framing is broken (a length past
 * its message's end, a wire type protobuf does not have).
 */
export function readSpanTraceIds(bytes: Uint8Array): Array<string | undefined> {
  const reader = readerOf(bytes);
  const buffer = reader.buf as Buffer;
  const ids: Array<string | undefined> = [];
  // A request's spans come trace by trace: an id equal to the span before's is not made hex again.
  let last: string | undefined;
  let lastStart = -1;
  let lastEnd = -1;
  try {
    for (const resourceSpans of fields(reader, reader.len, 1)) {
      const resourceEnd = reader.pos + resourceSpans;
      for (const scopeSpans of fields(reader, resourceEnd, 2)) {
        const scopeEnd = reader.pos + scopeSpans;
        for (const span of fields(reader, scopeEnd, 2)) {
          const spanEnd = reader.pos + span;
          let start = -1;
          let end = -1;
          while (reader.pos < spanEnd) {
            const tag = reader.uint32();
            if (tag === TRACE_ID_TAG) {
              const length = reader.uint32();
              start = reader.pos;
              end = start + length;
              reader.skip(length);
            } else {
              reader.skipType(tag & 7);
            }
          }
          if (reader.pos !== spanEnd) throw new ProtobufDecodeError(`a field of a span runs past the span's end at byte ${spanEnd}`);
          if (start < 0 || isZero(buffer, start, end)) ids.push(undefined);
          else {
            if (!sameBytes(buffer, lastStart, lastEnd, start, end)) last = buffer.toString('hex', start, end);
            lastStart = start;
            lastEnd = end;
            ids.push(last);
          }
        }
      }
    }
  } catch (error) {
    throw notARequest(error, reader);
  }
  return ids;
}

/** Whether two ranges of the buffer hold the same bytes (a trace id: 16 bytes, compared in place). */
function sameBytes(buffer: Buffer, aStart: number, aEnd: number, bStart: number, bEnd: number): boolean {
  if (aStart < 0 || aEnd - aStart !== bEnd - bStart) return false;
  for (let i = 0; i < aEnd - aStart; i++) if (buffer[aStart + i] !== buffer[bStart + i]) return false;
  return true;
}

/** No bytes, or only zeros: OTLP's "no id" (see ids.ts). */
function isZero(buffer: Buffer, start: number, end: number): boolean {
  for (let i = start; i < end; i++) if (buffer[i] !== 0) return false;
  return true;
}

/** A request decoded after it was answered on its framing, with what in it did not decode. */
export interface SalvagedRequest {
  request: Record<string, unknown>;
  /** Each part that did not decode, with protobufjs's reason ("span 3: invalid wire type 7…"). */
  failures: string[];
  failedSpans: number;
}

/**
 * A request whose framing reads (readSpanTraceIds), decoded: whole, as decodeTraceRequest does,
 * and when that fails, span by span by the official types, so that one span that does not
 * decode (a string that is not UTF-8, an attribute cut short) costs itself alone. A resource or
 * scope that does not decode is left out, with its reason.
 */
export function decodeTraceRequestSalvaging(bytes: Uint8Array): SalvagedRequest {
  try {
    return { request: decodeTraceRequest(bytes), failures: [], failedSpans: 0 };
  } catch (error) {
    if (!(error instanceof ProtobufDecodeError)) throw error;
  }
  return decodeSpanBySpan(bytes);
}

function decodeSpanBySpan(bytes: Uint8Array): SalvagedRequest {
  const types = otlpTypes();
  const reader = readerOf(bytes);
  const failures: string[] = [];
  let failedSpans = 0;
  let place = 0;
  const tryDecode = (type: protobuf.Type, length: number, what: () => string): unknown => {
    const { pos, len } = reader;
    try {
      return type.decode(reader, length);
    } catch (error) {
      failures.push(`${what()}: ${error instanceof Error ? error.message : String(error)}`);
      // protobufjs narrows the reader's length to each nested message while it decodes it, and
      // an error leaves it narrowed.
      reader.pos = pos + length;
      reader.len = len;
      return undefined;
    }
  };
  const resourceSpans: unknown[] = [];
  try {
    for (const resourceLength of fields(reader, reader.len, 1)) {
      const resourceEnd = reader.pos + resourceLength;
      const resource = firstOf(reader, resourceEnd, 1, (length) => tryDecode(types.resource, length, () => 'a resource'));
      const scopeSpans: unknown[] = [];
      for (const scopeLength of fields(reader, resourceEnd, 2)) {
        const scopeEnd = reader.pos + scopeLength;
        const scope = firstOf(reader, scopeEnd, 1, (length) => tryDecode(types.scope, length, () => 'a scope'));
        const spans: unknown[] = [];
        for (const spanLength of fields(reader, scopeEnd, 2)) {
          place++;
          const span = tryDecode(types.span, spanLength, () => `span ${place}`);
          if (span === undefined) failedSpans++;
          else spans.push(span);
        }
        scopeSpans.push({ ...(scope ? { scope } : {}), spans });
      }
      resourceSpans.push({ ...(resource ? { resource } : {}), scopeSpans });
    }
  } catch (error) {
    throw notARequest(error, reader); // the framing itself: readSpanTraceIds read it, so only a defect ends here
  }
  return { request: { resourceSpans }, failures, failedSpans };
}

/** What `read` makes of the first field `field` before `end`, leaving the reader where it was. */
function firstOf(reader: protobuf.Reader, end: number, field: number, read: (length: number) => unknown): unknown {
  const start = reader.pos;
  try {
    for (const length of fields(reader, end, field)) return read(length);
    return undefined;
  } finally {
    reader.pos = start;
  }
}

/** Span.trace_id: field 1, length-delimited (wire type 2). */
const TRACE_ID_TAG = (1 << 3) | 2;

/**
 * The length of each length-delimited field `field` until `end`, with the reader at its first
 * byte; the caller reads or skips exactly that many bytes. Other fields are skipped.
 */
function* fields(reader: protobuf.Reader, end: number, field: number): Generator<number> {
  while (reader.pos < end) {
    const tag = reader.uint32();
    if (tag >>> 3 === field && (tag & 7) === 2) {
      const length = reader.uint32();
      if (reader.pos + length > end)
        throw new ProtobufDecodeError(
          `field ${field} at byte ${reader.pos} says it is ${length} bytes, past the end of its message at byte ${end}`,
        );
      const start = reader.pos;
      yield length;
      reader.pos = start + length; // whatever the caller read, the next field starts here
    } else {
      reader.skipType(tag & 7);
    }
  }
  if (reader.pos !== end) throw new ProtobufDecodeError(`a field runs past the end of its message at byte ${end}`);
}

/** Decodes the first field `field` before `end` as `type`, leaving the reader where it was. */
function decodeFirst(reader: protobuf.Reader, end: number, field: number, type: protobuf.Type): Record<string, unknown> | undefined {
  return firstOf(reader, end, field, (length) => type.decode(reader, length)) as Record<string, unknown> | undefined;
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
    out[key] =
      ID_FIELDS.has(key) && typeof field === 'string' && /^[0-9a-fA-F]*$/.test(field)
        ? Buffer.from(field, 'hex')
        : key === 'attributes'
          ? field
          : withIdBytes(field);
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
