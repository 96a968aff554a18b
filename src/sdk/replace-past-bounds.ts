import type { TraceInput } from '../../schemas/trace.ts';
import { findBoundsViolation, formatFieldPath, VALUE_LIMITS } from '../../schemas/value-limits.ts';
import { toJsonSafe } from '../json/json-safe.ts';
import { clip } from './text.ts';

/**
 * A value of a trace that the script chooses and nothing bounds: `input`, `output`, `expected`,
 * a key of `metadata`, a span's `inputs` or `outputs`, a key of its `attributes` or of an
 * event's. These are what can be replaced without breaking the trace's shape (metadata and
 * attributes stay objects: their keys are replaced one by one).
 */
interface Slot {
  path: Array<string | number>;
  value: unknown;
  set(value: unknown): void;
}

/** Bytes kept free on the line for the trace's `error`: at most 100,000 characters, 6 bytes each as escaped JSON. */
const ERROR_ROOM = 1024 * 1024;

/** What a too-deep value holds where it was cut: says which limit, like the other markers. */
const TOO_DEEP_MARKER = `[not recorded: nested deeper than ${VALUE_LIMITS.depth} levels]`;

/**
 * The trace with each value past `VALUE_LIMITS` replaced where it is, so that nothing else is
 * lost: a string, array or object past its bound becomes `[not recorded: <what it was>]`; a value
 * nested too deep is kept cut at the depth limit; if the whole line would still be past
 * `VALUE_LIMITS.lineBytes` (or hold too many values) with each value within its own bounds, the
 * largest values are replaced, largest first, until it fits. The trace becomes an error trace
 * whose `error` (after the script's own, if any) names each field and what was done. Returns
 * undefined when no such value is past a bound: the trace is refused for something else (a
 * bad field of a converted trace), which this cannot mend.
 */
export function replaceValuesPastBounds(trace: TraceInput): TraceInput | undefined {
  const { copy, slots } = withSlots(trace);
  const notes: string[] = [];
  for (const slot of slots) {
    const bounded = boundValue(slot.path, slot.value);
    slot.set(bounded.value);
    if (bounded.note) notes.push(bounded.note);
  }
  delete copy.error; // its room is kept by ERROR_ROOM
  notes.push(...fitLine(copy, slots));
  if (notes.length === 0) return undefined;
  const said = `the trace could not be recorded as given (${notes.join('; ')}): what was past the limit is recorded as "[not recorded: …]" and the rest of the trace is kept`;
  const own = typeof trace.error === 'string' && trace.error !== '' ? `${clip(trace.error, 50_000)}\n` : '';
  return { ...(copy as TraceInput), status: 'error', error: clip(own + said, 100_000) };
}

/** The value made JSON-safe and within bounds at `path`, and what was done to it if anything. */
function boundValue(path: Array<string | number>, value: unknown): { value: unknown; note?: string } {
  const depth = VALUE_LIMITS.depth - path.length;
  const cut = { cut: false };
  const kept = toJsonSafe(value, depth, cut, TOO_DEEP_MARKER);
  // Checked where it sits in the trace, so the path and the depth in the message are the trace's.
  const violation = findBoundsViolation(nest(path, kept));
  if (violation) return { value: notRecorded(violation.message), note: note(violation) };
  if (!cut.cut) return { value: kept };
  const deep = findBoundsViolation(nest(path, toJsonSafe(value, depth + 1))) ?? {
    path,
    message: `nested deeper than ${VALUE_LIMITS.depth} levels`,
  };
  return { value: kept, note: `${note(deep)}, cut there` };
}

/**
 * Replaces the largest values until the trace's line (with room for its error) is within
 * `lineBytes` and the trace within every bound; the notes say which. A line still too long
 * after that (a million tiny spans) is left for the writer to refuse.
 */
function fitLine(trace: Record<string, unknown>, slots: Slot[]): string[] {
  const budget = VALUE_LIMITS.lineBytes - ERROR_ROOM;
  let bytes = jsonBytes(trace);
  const fits = () => bytes <= budget && !findBoundsViolation(trace);
  if (fits()) return [];
  const notes: string[] = [];
  const bySize = slots.map((slot) => ({ slot, bytes: jsonBytes(slot.value) })).sort((a, b) => b.bytes - a.bytes);
  for (const { slot, bytes: size } of bySize) {
    const message = `${size} bytes as JSON, more than the trace's line can hold with the rest (${VALUE_LIMITS.lineBytes} bytes)`;
    const marker = notRecorded(message);
    slot.set(marker);
    bytes += jsonBytes(marker) - size;
    notes.push(`${formatFieldPath(slot.path)}: ${message}`);
    if (fits()) break;
  }
  return notes;
}

/** A shallow copy of the trace whose slots (see `Slot`) can be replaced without touching the caller's objects. */
function withSlots(trace: TraceInput): { copy: Record<string, unknown>; slots: Slot[] } {
  const slots: Slot[] = [];
  const slotsOf = (holder: Record<string, unknown>, keys: readonly string[], path: Array<string | number>) => {
    for (const key of keys) {
      if (holder[key] === undefined) continue;
      const slot: Slot = {
        path: [...path, key],
        value: holder[key],
        set: (value) => {
          slot.value = value;
          defineKey(holder, key, value);
        },
      };
      slots.push(slot);
    }
  };
  const keysOf = (record: unknown, path: Array<string | number>): Record<string, unknown> | unknown => {
    if (!isRecord(record)) return record;
    const copy = { ...record };
    slotsOf(copy, Object.keys(copy), path);
    return copy;
  };
  const copy: Record<string, unknown> = { ...trace };
  slotsOf(copy, ['input', 'output', 'expected'], []);
  copy.metadata = keysOf(trace.metadata, ['metadata']);
  if (Array.isArray(trace.spans)) {
    copy.spans = (trace.spans as unknown[]).map((span, i) => {
      if (!isRecord(span)) return span;
      const kept: Record<string, unknown> = { ...span };
      slotsOf(kept, ['inputs', 'outputs'], ['spans', i]);
      kept.attributes = keysOf(span.attributes, ['spans', i, 'attributes']);
      if (Array.isArray(span.events)) {
        kept.events = (span.events as unknown[]).map((event, j) =>
          isRecord(event) ? { ...event, attributes: keysOf(event.attributes, ['spans', i, 'events', j, 'attributes']) } : event,
        );
      }
      return kept;
    });
  }
  return { copy, slots };
}

function notRecorded(message: string): string {
  return `[not recorded: ${clip(message, 1000)}]`;
}

function note(violation: { path: Array<string | number>; message: string }): string {
  return `${formatFieldPath(violation.path)}: ${violation.message}`;
}

/** `value` at `path` inside objects, so a bounds check counts its depth and names its path as in the trace. */
function nest(path: ReadonlyArray<string | number>, value: unknown): unknown {
  return path.reduceRight<unknown>((inner, key) => ({ [String(key)]: inner }), value);
}

function jsonBytes(value: unknown): number {
  const json = JSON.stringify(value);
  return json === undefined ? 0 : Buffer.byteLength(json);
}

/** Sets an own key even when it is `__proto__` (which JSON.parse makes an ordinary key). */
function defineKey(holder: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(holder, key, { value, enumerable: true, writable: true, configurable: true });
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
