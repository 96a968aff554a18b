/**
 * OTLP and MLflow times are 64-bit nanosecond counts since the epoch, written as JSON strings
 * (the proto3 mapping of int64) or as numbers; Labbook keeps epoch milliseconds with fractions.
 * A 19-digit string is split rather than parsed whole, since a double holds only ~16 digits:
 * the millisecond part stays exact and the fraction keeps microseconds.
 */
export function nanosToMs(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value / 1e6 : undefined;
  if (isLongBits(value)) return longBitsToMs(value);
  if (typeof value === 'bigint') return Number(value / 1_000_000n) + Number(value % 1_000_000n) / 1e6;
  if (typeof value !== 'string') return undefined;
  // Digits are read in place: millions of spans, two times each, should not allocate substrings.
  const length = value.length;
  let whole = 0;
  let fraction = 0;
  for (let i = 0; i < length; i++) {
    const digit = value.charCodeAt(i) - 48;
    if (digit < 0 || digit > 9) return otherNanos(value);
    if (i < length - 6) whole = whole * 10 + digit;
    else fraction = fraction * 10 + digit;
  }
  return length === 0 ? undefined : whole + fraction / 1e6;
}

/**
 * A 64-bit integer as protobufjs decodes one: a `Long` (or `{ low, high }` without the long
 * package), two 32-bit halves. Protobuf input's times come this way; turning each into a
 * decimal string first (protobufjs's `longs: String`) cost more than the rest of reading it.
 */
interface LongBits {
  low: number;
  high: number;
  unsigned?: boolean;
}

export function isLongBits(value: unknown): value is LongBits {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as LongBits).low === 'number' &&
    typeof (value as LongBits).high === 'number'
  );
}

/**
 * Nanoseconds (OTLP's fixed64, unsigned) in two halves as milliseconds, with the same result
 * as the decimal string's: 2^32 = 4294 × 10^6 + 967,296, so the value is
 * high × 4294 × 10^6 + (high × 967,296 + low), and that last sum stays below 2^53.
 */
function longBitsToMs(value: LongBits): number {
  const high = value.high >>> 0;
  const rest = high * 967_296 + (value.low >>> 0);
  const fraction = rest % 1_000_000;
  return high * 4294 + (rest - fraction) / 1_000_000 + fraction / 1e6;
}

/** A 64-bit integer in halves as a number when it is one exactly, else its decimal digits. */
export function longBitsToInteger(value: LongBits): number | string {
  const high = value.unsigned ? value.high >>> 0 : value.high | 0;
  const number = high * 4_294_967_296 + (value.low >>> 0);
  if (Number.isSafeInteger(number)) return number;
  return ((BigInt(high) << 32n) + BigInt(value.low >>> 0)).toString();
}

/** A time written some other way: with spaces, a sign or an exponent ("1.5e18"). */
function otherNanos(value: string): number | undefined {
  const text = value.trim();
  const number = Number(text);
  return text !== '' && Number.isFinite(number) ? number / 1e6 : undefined;
}

/** Epoch milliseconds (fractions allowed) as an OTLP nanosecond string, rounded to the nanosecond. */
export function msToNanos(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '0';
  let whole = Math.floor(ms);
  let fraction = Math.round((ms - whole) * 1e6);
  if (fraction >= 1e6) {
    whole += 1;
    fraction -= 1e6;
  }
  return whole === 0 ? String(fraction) : `${whole}${String(fraction).padStart(6, '0')}`;
}

/** OpenTelemetry JS's `HrTime` (`[seconds, nanoseconds]`) as epoch milliseconds. */
export function hrTimeToMs(time: unknown): number | undefined {
  if (Array.isArray(time) && time.length === 2 && typeof time[0] === 'number' && typeof time[1] === 'number') {
    return time[0] * 1000 + time[1] / 1e6;
  }
  if (typeof time === 'number' && Number.isFinite(time)) return time; // a `TimeInput` given as epoch ms
  if (time instanceof Date) return time.getTime();
  return undefined;
}
