import { isRecord, setOwn } from '../json-value.ts';
import { isLongBits, longBitsToInteger } from '../nanos.ts';

/** OTLP's `AnyValue` in the protobuf JSON mapping: exactly one of these is set. */
interface OtlpAnyValue {
  stringValue?: string;
  boolValue?: boolean;
  /** int64, so the JSON mapping writes it as a string; some exporters write a number. */
  intValue?: string | number;
  doubleValue?: number | string;
  arrayValue?: { values?: OtlpAnyValue[] };
  kvlistValue?: { values?: OtlpKeyValue[] };
  /** base64. */
  bytesValue?: string;
}

export interface OtlpKeyValue {
  key: string;
  value?: OtlpAnyValue;
}

/**
 * An OTLP `AnyValue` as a plain JSON value: `intValue` strings become numbers (kept as strings
 * beyond 2^53, where a number would change them), arrays and key-value lists nest, bytes stay
 * base64 text, an empty `AnyValue` is null. Accepts the snake_case spelling some encoders use.
 */
function decodeAnyValue(value: unknown): unknown {
  if (!isRecord(value)) return value ?? null;
  const v = value as Record<string, unknown>;
  if (v.stringValue !== undefined) return v.stringValue;
  if (v.intValue !== undefined) return decodeInt(v.intValue);
  if (v.doubleValue !== undefined) return typeof v.doubleValue === 'number' ? v.doubleValue : Number(v.doubleValue);
  if (v.boolValue !== undefined) return v.boolValue === true || v.boolValue === 'true';
  if (v.arrayValue !== undefined) return decodeArray(v.arrayValue);
  if (v.kvlistValue !== undefined) return decodeKvlist(v.kvlistValue);
  if (v.bytesValue !== undefined)
    return v.bytesValue instanceof Uint8Array
      ? Buffer.from(v.bytesValue.buffer, v.bytesValue.byteOffset, v.bytesValue.length).toString('base64')
      : v.bytesValue;
  if (v.string_value !== undefined) return v.string_value;
  if (v.int_value !== undefined) return decodeInt(v.int_value);
  if (v.double_value !== undefined) return Number(v.double_value);
  if (v.bool_value !== undefined) return v.bool_value === true || v.bool_value === 'true';
  if (v.array_value !== undefined) return decodeArray(v.array_value);
  if (v.kvlist_value !== undefined) return decodeKvlist(v.kvlist_value);
  if (v.bytes_value !== undefined) return v.bytes_value;
  return null;
}

/** A list of OTLP `KeyValue`s as an object; a later duplicate key wins, as in the SDKs. */
export function decodeAttributes(list: unknown): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (!Array.isArray(list)) return out;
  for (const entry of list) {
    if (!isRecord(entry) || typeof entry.key !== 'string') continue;
    const value = entry.value as Record<string, unknown> | null | undefined;
    // Most attributes are strings: read them without the general decoder's checks.
    const decoded = typeof value?.stringValue === 'string' ? value.stringValue : decodeAnyValue(value);
    if (entry.key === '__proto__') setOwn(out, entry.key, decoded);
    else out[entry.key] = decoded;
  }
  return out;
}

function decodeInt(raw: unknown): number | string {
  if (isLongBits(raw)) return longBitsToInteger(raw);
  const number = typeof raw === 'number' ? raw : Number(raw);
  return Number.isSafeInteger(number) || !Number.isFinite(number) ? number : String(raw);
}

function decodeArray(raw: unknown): unknown[] {
  const values = isRecord(raw) ? raw.values : undefined;
  return Array.isArray(values) ? values.map(decodeAnyValue) : [];
}

function decodeKvlist(raw: unknown): Record<string, unknown> {
  return decodeAttributes(isRecord(raw) ? raw.values : undefined);
}

/**
 * A JSON value as an OTLP `AnyValue`: integers as `intValue` strings, other numbers as
 * `doubleValue`, arrays and objects as `arrayValue` and `kvlistValue` (OTLP allows nesting),
 * null as an empty `AnyValue`.
 */
function encodeAnyValue(value: unknown): OtlpAnyValue {
  switch (typeof value) {
    case 'string':
      return { stringValue: value };
    case 'boolean':
      return { boolValue: value };
    case 'number':
      if (!Number.isFinite(value)) return {};
      return Number.isSafeInteger(value) ? { intValue: String(value) } : { doubleValue: value };
    case 'bigint':
      return { intValue: value.toString() };
    case 'object':
      if (value === null) return {};
      if (Array.isArray(value)) return { arrayValue: { values: value.map(encodeAnyValue) } };
      return { kvlistValue: { values: encodeAttributes(value as Record<string, unknown>) } };
    default:
      return {};
  }
}

export function encodeAttributes(attributes: Record<string, unknown>): OtlpKeyValue[] {
  const out: OtlpKeyValue[] = [];
  for (const key of Object.keys(attributes)) {
    const value = attributes[key];
    if (value !== undefined) out.push({ key, value: encodeAnyValue(value) });
  }
  return out;
}
